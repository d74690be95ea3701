"""The rule catalogue: one module per family. IDs are stable and never reused."""

from __future__ import annotations

from functools import cache

from skillyard.scan.rules.base import Family, Hit, Rule


@cache
def _rules() -> tuple[Rule, ...]:
    from skillyard.scan.rules import (
        account_grants,
        admin_accounts,
        agent_instructions,
        ansible_exfil,
        automation_exfil,
        autorun_hooks,
        build_mirror,
        capture_exfil,
        ci_untrusted,
        clipboard,
        cloud_leaks,
        cloud_trust,
        command_shadowing,
        concealed_changes,
        config_exfil,
        covert_orders,
        covert_transfer,
        data_driven_reads,
        deception,
        dependency_confusion,
        disguised_exec,
        ecosystem_hooks,
        editor_autorun,
        encoded_orders,
        exfil_channels,
        exfiltration,
        forged_consent,
        git_filters,
        hook_exfil,
        hosts_hijack,
        implants,
        install_hooks,
        integrity,
        k8s_rbac,
        logon_hijack,
        manifest_sources,
        multilingual,
        output_orders,
        persistence,
        planted_backdoor,
        planted_output,
        privilege,
        prompt_injection,
        relayed_orders,
        remote_imports,
        render_exfil,
        sanctioned_orders,
        secret_orders,
        self_spread,
        shadowing,
        side_channels,
        signature_off,
        sql_exec,
        staged_exec,
        standing_orders,
        startup_exfil,
        supply_chain,
        system_weakening,
        url_runners,
        wrapped_orders,
    )

    rules = [*prompt_injection.RULES, *wrapped_orders.RULES, *shadowing.RULES, *deception.RULES, *covert_orders.RULES,
             *secret_orders.RULES, *multilingual.RULES, *planted_output.RULES, *planted_backdoor.RULES,
             *concealed_changes.RULES,
             *standing_orders.RULES,
             *output_orders.RULES, *sanctioned_orders.RULES, *forged_consent.RULES,
             *encoded_orders.RULES, *exfiltration.RULES, *exfil_channels.RULES,
             *cloud_leaks.RULES, *relayed_orders.RULES, *covert_transfer.RULES,
             *hook_exfil.RULES, *git_filters.RULES, *ansible_exfil.RULES, *data_driven_reads.RULES,
             *side_channels.RULES, *render_exfil.RULES, *clipboard.RULES, *capture_exfil.RULES, *manifest_sources.RULES,
             *system_weakening.RULES, *hosts_hijack.RULES, *self_spread.RULES,
             *sql_exec.RULES, *automation_exfil.RULES, *startup_exfil.RULES, *config_exfil.RULES,
             *privilege.RULES, *k8s_rbac.RULES, *cloud_trust.RULES, *account_grants.RULES, *admin_accounts.RULES,
             *logon_hijack.RULES,
             *persistence.RULES, *implants.RULES, *editor_autorun.RULES, *autorun_hooks.RULES,
             *agent_instructions.RULES,
             *staged_exec.RULES, *disguised_exec.RULES,
             *supply_chain.RULES, *ci_untrusted.RULES, *signature_off.RULES, *url_runners.RULES,
             *remote_imports.RULES, *install_hooks.RULES, *ecosystem_hooks.RULES,
             *command_shadowing.RULES, *dependency_confusion.RULES, *integrity.RULES,
             *build_mirror.RULES]  # fmt: skip
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:  # pragma: no cover - guarded by tests
        raise RuntimeError(f"duplicate rule ids: {sorted(dupes)}")
    return tuple(rules)


def all_rules() -> list[Rule]:
    """Every rule, in catalogue order (family, then id)."""
    return list(_rules())


def get_rule(rule_id: str) -> Rule:
    """The rule with this id (``KeyError`` if unknown)."""
    for r in _rules():
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)


__all__ = ["Family", "Hit", "Rule", "all_rules", "get_rule"]
