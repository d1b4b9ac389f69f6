"""The congress rules: each function decides one command and returns its event.

Convening (003:2855-2883), credentials (003:2541-2545, 15625-15627, 24036-24040), quorum
(003:46725-46730), groups and walk-outs (003:24216-24242), proportional committees
(000:871-875, 003:23897-23907), votes by show of hands, division, roll call or secret
ballot (003:16801-16807, 003:5434-5438), decrees. One module per topic.
"""

from soviet.domain.congress_rules.call import (
    call_congress,
    postpone,
)
from soviet.domain.congress_rules.committees import (
    elect_committee,
    elect_post,
)
from soviet.domain.congress_rules.common import (
    MAJORITIES,
    MODES,
    STAGES,
    get_congress,
    parse_quorum,
    quorum_needed,
)
from soviet.domain.congress_rules.credentials import (
    elect_congress_delegates,
    present_credential,
    reconsider_credential,
    rule_on_credential,
    rule_on_credentials,
)
from soviet.domain.congress_rules.motions import (
    adopt_agenda,
    order_motions,
    table_motion,
    withdraw_motion,
)
from soviet.domain.congress_rules.session import (
    close_congress,
    declare_group,
    open_congress,
    register,
)
from soviet.domain.congress_rules.votes import (
    cast,
    close_vote,
    open_vote,
)

# --- weighted votes, proxies, mandates against votes (issue 11) ---
from soviet.domain.congress_rules.weighting import (
    bind_mandate,
    declare_weight,
    grant_proxy,
    mandate_report,
    open_recall_on_vote,
    revoke_proxy,
    weight_of,
)

__all__ = [
    "MAJORITIES",
    "MODES",
    "STAGES",
    "adopt_agenda",
    # weighted votes, proxies, mandates against votes (issue 11)
    "bind_mandate",
    "call_congress",
    "cast",
    "close_congress",
    "close_vote",
    "declare_group",
    "declare_weight",
    "elect_committee",
    "elect_congress_delegates",
    "elect_post",
    "get_congress",
    "grant_proxy",
    "mandate_report",
    "open_congress",
    "open_recall_on_vote",
    "open_vote",
    "order_motions",
    "parse_quorum",
    "postpone",
    "present_credential",
    "quorum_needed",
    "reconsider_credential",
    "register",
    "revoke_proxy",
    "rule_on_credential",
    "rule_on_credentials",
    "table_motion",
    "weight_of",
    "withdraw_motion",
]
