"""The shipped catalogues: counts, names and groupings pinned against the published tables."""

from __future__ import annotations

import pytest

import pmsm_core as pm
from pmsm_core import (
    KnowledgeArea,
    LifecycleStage,
    LinkDirection,
    PracticeGroup,
    ProcessGroup,
    ProcessKind,
    Provenance,
)
from pmsm_core.io.json import dumps, loads
from pmsm_core.processes.catalog import (
    catalogue_names,
    load_catalogue,
    load_crosswalk,
    map_interfaces,
    project_service_links,
)
from pmsm_core.processes.flow import analyse_flow
from pmsm_core.processes.maturity import default_questionnaire

SS, SD, ST, SO, CSI = list(LifecycleStage)

ITIL2011 = {
    SS: [
        "Strategy management for IT services",
        "Service portfolio management",
        "Financial management for IT services",
        "Demand management",
        "Business relationship management",
    ],
    SD: [
        "Design coordination",
        "Service catalogue management",
        "Service level management",
        "Availability management",
        "Capacity management",
        "IT service continuity management",
        "Information security management",
        "Supplier management",
    ],
    ST: [
        "Transition planning and support",
        "Change management",
        "Service asset and configuration management",
        "Release and deployment management",
        "Service validation and testing",
        "Change evaluation",
        "Knowledge management",
    ],
    SO: [
        "Event management",
        "Incident management",
        "Request fulfilment",
        "Problem management",
        "Access management",
    ],
    CSI: ["Seven-step improvement process"],
}
ITIL2011_FUNCTIONS = [
    "Service desk",
    "Technical management",
    "IT operations management",
    "Application management",
]
SEVEN_STEPS_2011 = [
    "Identify the strategy for improvement",
    "Define what you will measure",
    "Gather the data",
    "Process the data",
    "Analyse the information and data",
    "Present and use the information",
    "Implement improvement",
]

ITIL4 = {
    PracticeGroup.GENERAL_MANAGEMENT: [
        "Architecture management",
        "Continual improvement",
        "Information security management",
        "Knowledge management",
        "Measurement and reporting",
        "Organizational change management",
        "Portfolio management",
        "Project management",
        "Relationship management",
        "Risk management",
        "Service financial management",
        "Strategy management",
        "Supplier management",
        "Workforce and talent management",
    ],
    PracticeGroup.SERVICE_MANAGEMENT: [
        "Availability management",
        "Business analysis",
        "Capacity and performance management",
        "Change enablement",
        "Incident management",
        "IT asset management",
        "Monitoring and event management",
        "Problem management",
        "Release management",
        "Service catalogue management",
        "Service configuration management",
        "Service continuity management",
        "Service design",
        "Service desk",
        "Service level management",
        "Service request management",
        "Service validation and testing",
    ],
    PracticeGroup.TECHNICAL_MANAGEMENT: [
        "Deployment management",
        "Infrastructure and platform management",
        "Software development and management",
    ],
}
VALUE_CHAIN = [
    "Plan",
    "Improve",
    "Engage",
    "Design and transition",
    "Obtain/build",
    "Deliver and support",
]
GUIDING_PRINCIPLES = [
    "Focus on value",
    "Start where you are",
    "Progress iteratively with feedback",
    "Collaborate and promote visibility",
    "Think and work holistically",
    "Keep it simple and practical",
    "Optimize and automate",
]

INI, P, E, MC, C = list(ProcessGroup)
PMBOK6 = {
    "4.1": ("Develop Project Charter", INI),
    "4.2": ("Develop Project Management Plan", P),
    "4.3": ("Direct and Manage Project Work", E),
    "4.4": ("Manage Project Knowledge", E),
    "4.5": ("Monitor and Control Project Work", MC),
    "4.6": ("Perform Integrated Change Control", MC),
    "4.7": ("Close Project or Phase", C),
    "5.1": ("Plan Scope Management", P),
    "5.2": ("Collect Requirements", P),
    "5.3": ("Define Scope", P),
    "5.4": ("Create WBS", P),
    "5.5": ("Validate Scope", MC),
    "5.6": ("Control Scope", MC),
    "6.1": ("Plan Schedule Management", P),
    "6.2": ("Define Activities", P),
    "6.3": ("Sequence Activities", P),
    "6.4": ("Estimate Activity Durations", P),
    "6.5": ("Develop Schedule", P),
    "6.6": ("Control Schedule", MC),
    "7.1": ("Plan Cost Management", P),
    "7.2": ("Estimate Costs", P),
    "7.3": ("Determine Budget", P),
    "7.4": ("Control Costs", MC),
    "8.1": ("Plan Quality Management", P),
    "8.2": ("Manage Quality", E),
    "8.3": ("Control Quality", MC),
    "9.1": ("Plan Resource Management", P),
    "9.2": ("Estimate Activity Resources", P),
    "9.3": ("Acquire Resources", E),
    "9.4": ("Develop Team", E),
    "9.5": ("Manage Team", E),
    "9.6": ("Control Resources", MC),
    "10.1": ("Plan Communications Management", P),
    "10.2": ("Manage Communications", E),
    "10.3": ("Monitor Communications", MC),
    "11.1": ("Plan Risk Management", P),
    "11.2": ("Identify Risks", P),
    "11.3": ("Perform Qualitative Risk Analysis", P),
    "11.4": ("Perform Quantitative Risk Analysis", P),
    "11.5": ("Plan Risk Responses", P),
    "11.6": ("Implement Risk Responses", E),
    "11.7": ("Monitor Risks", MC),
    "12.1": ("Plan Procurement Management", P),
    "12.2": ("Conduct Procurements", E),
    "12.3": ("Control Procurements", MC),
    "13.1": ("Identify Stakeholders", INI),
    "13.2": ("Plan Stakeholder Engagement", P),
    "13.3": ("Manage Stakeholder Engagement", E),
    "13.4": ("Monitor Stakeholder Engagement", MC),
}
PMBOK7_DOMAINS = [
    "Stakeholders",
    "Team",
    "Development approach and life cycle",
    "Planning",
    "Project work",
    "Delivery",
    "Measurement",
    "Uncertainty",
]
PMBOK7_PRINCIPLES = [
    "Stewardship",
    "Team",
    "Stakeholders",
    "Value",
    "Systems thinking",
    "Leadership",
    "Tailoring",
    "Quality",
    "Complexity",
    "Risk",
    "Adaptability and resiliency",
    "Change",
]


class TestItil2011:
    def test_twenty_six_processes_and_four_functions(self) -> None:
        """26 processes and 4 functions."""
        cat = load_catalogue("itil2011")
        assert len(cat.of_kind(ProcessKind.PROCESS)) == 26
        assert len(cat.of_kind(ProcessKind.FUNCTION)) == 4
        assert len(cat) == 30

    def test_processes_by_stage(self) -> None:
        """Stage counts 5/8/7/5/1 and every name in its stage, in the reference order."""
        cat = load_catalogue("itil2011")
        for stage, names in ITIL2011.items():
            got = [p.name for p in cat.of_kind(ProcessKind.PROCESS) if p.stage is stage]
            assert got == names, stage
        counts = {s: len(n) for s, n in ITIL2011.items()}
        assert list(counts.values()) == [5, 8, 7, 5, 1]

    def test_functions_in_service_operation(self) -> None:
        """The four functions, all described in Service Operation."""
        cat = load_catalogue("itil2011")
        functions = cat.of_kind(ProcessKind.FUNCTION)
        assert [f.name for f in functions] == ITIL2011_FUNCTIONS
        assert {f.stage for f in functions} == {SO}
        assert "facilities management" in cat.process("F3").notes

    def test_ids_and_edition(self) -> None:
        """Ids follow the reference (SS1..CSI1, F1..F4); every element is ITIL 2011."""
        cat = load_catalogue("itil2011")
        assert cat.process("ST6").name == "Change evaluation"
        assert cat.process("CSI1").stage is CSI
        assert {(p.framework, p.edition) for p in cat.processes} == {("ITIL", "2011")}

    def test_seven_steps_in_2011_wording(self) -> None:
        """The improvement process lists the seven steps as the 2011 edition words them."""
        assert list(load_catalogue("itil2011").process("CSI1").activities) == SEVEN_STEPS_2011

    def test_additions_of_2011_are_marked(self) -> None:
        """Strategy management, business relationship management and design coordination."""
        cat = load_catalogue("itil2011")
        added = [p.id for p in cat.processes if "added in the 2011 edition" in p.notes]
        assert added == ["SS1", "SS5", "SD1"]

    def test_interfaces_i1_to_i34_paraphrased(self) -> None:
        """Interfaces I1-I34 are present, marked 'paraphrase', I33 spelled out per process."""
        cat = load_catalogue("itil2011")
        ids = {i.id for i in cat.interfaces}
        bases = {i.split("-")[0].rstrip("ab") for i in ids}
        assert bases == {f"I{n}" for n in range(1, 35)}
        assert {i.provenance for i in cat.interfaces} == {Provenance.PARAPHRASE}
        i33 = [i for i in cat.interfaces if i.id and i.id.startswith("I33-")]
        assert len(i33) == 29 and {i.target for i in i33} == {"CSI1"}
        one = next(i for i in cat.interfaces if i.id == "I17")
        assert (one.source, one.target, one.artefact) == ("SD1", "ST1", "service design package")

    def test_every_element_has_purpose_roles_and_kpis(self) -> None:
        """Purposes, roles, activities and KPIs are filled in for every element."""
        for p in load_catalogue("itil2011").processes:
            assert len(p.purpose) > 40 and p.roles and p.activities and p.kpis, p.id


class TestItil4:
    def test_thirty_four_practices_in_three_groups(self) -> None:
        """34 practices = 14 general + 17 service + 3 technical, names pinned."""
        cat = load_catalogue("itil4")
        practices = cat.of_kind(ProcessKind.PRACTICE)
        assert len(practices) == 34
        for group, names in ITIL4.items():
            assert [p.name for p in practices if p.practice_group is group] == names
        assert [len(n) for n in ITIL4.values()] == [14, 17, 3]

    def test_value_chain_and_principles(self) -> None:
        """Six value-chain activities and seven guiding principles."""
        cat = load_catalogue("itil4")
        assert [p.name for p in cat.of_kind(ProcessKind.VALUE_CHAIN_ACTIVITY)] == VALUE_CHAIN
        assert [pr.name for pr in cat.principles] == GUIDING_PRINCIPLES

    def test_practice_interfaces_are_the_crosswalked_itil2011_hand_offs(self) -> None:
        """The shipped practice interfaces equal map_interfaces over the shipped crosswalk."""
        mapped = map_interfaces(
            load_crosswalk("itil2011-itil4"), load_catalogue("itil2011"), load_catalogue("itil4")
        )
        shipped = load_catalogue("itil4").interfaces
        strip = [(i.source, i.target, i.artefact, i.provenance, i.notes) for i in shipped]
        assert strip == [(i.source, i.target, i.artefact, i.provenance, i.notes) for i in mapped]
        assert {i.provenance for i in shipped} == {Provenance.JUDGEMENT}


class TestPmbok6:
    def test_forty_nine_processes_on_the_grid(self) -> None:
        """49 processes; ids, names and process groups as in the 6th edition."""
        cat = load_catalogue("pmbok6")
        got = {p.id: (p.name, p.group) for p in cat.processes}
        assert got == PMBOK6

    def test_group_counts(self) -> None:
        """Processes per group 2 / 24 / 10 / 12 / 1."""
        counts = load_catalogue("pmbok6").count_by("group")
        assert [counts[g] for g in ProcessGroup] == [2, 24, 10, 12, 1]

    def test_knowledge_area_counts(self) -> None:
        """Processes per knowledge area 7, 6, 6, 4, 3, 6, 3, 7, 3, 4; ids follow chapters."""
        cat = load_catalogue("pmbok6")
        counts = cat.count_by("knowledge_area")
        assert [counts[ka] for ka in KnowledgeArea] == [7, 6, 6, 4, 3, 6, 3, 7, 3, 4]
        for p in cat.processes:
            assert p.knowledge_area is not None
            assert p.id.split(".")[0] == str(p.knowledge_area.chapter)

    def test_flow_runs_from_charter_to_closing(self) -> None:
        """The flow starts at 4.1, ends at 4.7 and has one executing/controlling loop."""
        fa = analyse_flow(load_catalogue("pmbok6"))
        assert fa.sources == ("4.1",) and fa.sinks == ("4.7",)
        assert len(fa.loops) == 1 and {"4.3", "4.6"} <= set(fa.loops[0].processes)
        assert fa.critical_path[0] == ("4.1",) and fa.critical_path[-1] == ("4.7",)


class TestPmbok7:
    def test_domains_and_principles(self) -> None:
        """8 performance domains and 12 principles, names pinned."""
        cat = load_catalogue("pmbok7")
        assert [p.name for p in cat.processes] == PMBOK7_DOMAINS
        assert {p.kind for p in cat.processes} == {ProcessKind.PERFORMANCE_DOMAIN}
        assert [pr.name for pr in cat.principles] == PMBOK7_PRINCIPLES
        assert {i.provenance for i in cat.interfaces} == {Provenance.JUDGEMENT}


class TestShippedData:
    @pytest.mark.parametrize("name", catalogue_names())
    def test_round_trip(self, name: str) -> None:
        """Every shipped catalogue survives dumps/loads unchanged."""
        cat = load_catalogue(name)
        assert loads(dumps(cat)) == cat

    @pytest.mark.parametrize("name", catalogue_names())
    def test_flows_have_no_gaps(self, name: str) -> None:
        """Every input is produced and every output consumed, or declared external."""
        fa = analyse_flow(load_catalogue(name))
        assert fa.unproduced_inputs == () and fa.unconsumed_outputs == ()

    @pytest.mark.parametrize("name", catalogue_names())
    def test_purposes_are_distinct_sentences(self, name: str) -> None:
        """Each element has its own purpose sentence, written out in full."""
        purposes = [p.purpose for p in load_catalogue(name).processes]
        assert all(p.endswith(".") and len(p) > 30 for p in purposes)
        assert len(set(purposes)) == len(purposes)

    def test_top_level_api(self) -> None:
        """The catalogues are reachable from the package."""
        assert pm.load_catalogue("itil4").id == "itil4"


class TestCrosswalk:
    def test_every_itil2011_element_is_mapped_to_existing_practices(self) -> None:
        """All 30 ITIL 2011 elements map onto ITIL 4 practices that exist."""
        cw = load_crosswalk("itil2011-itil4")
        old, new = load_catalogue("itil2011"), load_catalogue("itil4")
        cw.check(old, new)
        assert {e.source for e in cw.entries} == {p.id for p in old.processes}
        assert all(e.targets and e.provenance is Provenance.JUDGEMENT for e in cw.entries)

    def test_reference_rows(self) -> None:
        """Rows of the reference crosswalk."""
        cw = load_crosswalk("itil2011-itil4")
        assert cw.targets("SS4") == ("capacity-and-performance-management", "business-analysis")
        assert cw.targets("SO5") == ("information-security-management",)
        assert cw.sources("infrastructure-and-platform-management") == ("F2", "F3")
        assert cw.targets("CSI1") == ("continual-improvement", "measurement-and-reporting")

    def test_practices_without_itil2011_predecessor(self) -> None:
        """Architecture, risk and workforce management have no ITIL 2011 counterpart."""
        cw = load_crosswalk("itil2011-itil4")
        orphans = [
            p.id
            for p in load_catalogue("itil4").of_kind(ProcessKind.PRACTICE)
            if not cw.sources(p.id)
        ]
        assert orphans == [
            "architecture-management",
            "risk-management",
            "workforce-and-talent-management",
        ]


class TestProjectsAndServices:
    def test_closing_hands_over_into_service_transition(self) -> None:
        """A project's Closing hands over into Service Transition."""
        links = project_service_links()
        assert any(
            link.group is ProcessGroup.CLOSING
            and link.stage is LifecycleStage.SERVICE_TRANSITION
            and link.direction is LinkDirection.PROJECT_TO_SERVICE
            for link in links
        )

    def test_every_group_and_stage_takes_part(self) -> None:
        """Each of the five process groups and five lifecycle stages appears in some link."""
        links = project_service_links()
        assert {link.group for link in links} == set(ProcessGroup)
        assert {link.stage for link in links} == set(LifecycleStage)
        assert all(link.description for link in links)


def test_default_questionnaire() -> None:
    """Twenty questions: five per level from 2 to 5, one per assessment area."""
    q = default_questionnaire()
    assert len(q.questions) == 20
    for level in list(pm.MaturityLevel)[1:]:
        assert {x.area for x in q.at_level(level)} == set(pm.AssessmentArea)
