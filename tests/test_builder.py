"""The mutable ProjectBuilder, driven by a hypothesis state machine."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pmsm_core import Duration, LinkType, ProjectBuilder, ValidationError, dumps, loads


class BuilderMachine(RuleBasedStateMachine):
    """Adding activities and links in any order builds the project a model predicts."""

    def __init__(self) -> None:
        super().__init__()
        self.builder = ProjectBuilder("P", "Machine")
        self.ids: list[str] = []
        self.links: set[tuple[str, str]] = set()

    @rule(minutes=st.integers(0, 5000))
    def add_activity(self, minutes: int) -> None:
        """A new id always adds an activity."""
        aid = f"A{len(self.ids)}"
        self.builder.add_activity(aid, f"Activity {aid}", Duration(minutes))
        self.ids.append(aid)

    @precondition(lambda self: len(self.ids) >= 2)
    @rule(data=st.data(), kind=st.sampled_from(list(LinkType)), lag=st.integers(-600, 600))
    def link(self, data: st.DataObject, kind: LinkType, lag: int) -> None:
        """Links go from an earlier to a later activity, once per pair."""
        a, b = sorted(
            data.draw(st.lists(st.sampled_from(self.ids), min_size=2, max_size=2, unique=True)),
            key=self.ids.index,
        )
        if (a, b) in self.links:
            return
        self.builder.link(a, b, kind.value, lag)
        self.links.add((a, b))

    @rule(minutes=st.integers(-10, -1))
    def bad_activity_is_refused(self, minutes: int) -> None:
        """A negative duration is refused at once and leaves the builder unchanged."""
        with pytest.raises(ValidationError):
            self.builder.add_activity("BAD", duration=Duration(minutes))

    @invariant()
    def builds_what_was_added(self) -> None:
        """build() gives a valid project with exactly the activities and links added."""
        project = self.builder.build()
        assert [a.id for a in project.activities] == self.ids
        assert {(d.predecessor, d.successor) for d in project.dependencies} == self.links
        assert loads(dumps(project)) == project


TestBuilderMachine = BuilderMachine.TestCase
TestBuilderMachine.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
