"""`FlowScreen`: follow the money from a committee, race or donor in a tree.

The screen shows the entity at the root of a Textual `Tree` and, level by level, where its money
came from (committees and races: back to ultimate sources) or went (donors: forward to
candidates, independent expenditures, spending and money still held), each node with its amount
and its share of the whole. A context line on top says when the view is filtered, as every
view's header does ("filtered: donor state NY · 12.0% of the total shown"), and gives the
ultimate out-of-state and unattributed shares (for a race also the largest ultimate source and
its multiple of the local median household income); `present.trace` builds it for the CLI too.

The trace runs in a thread worker (group ``"trace"``, exclusive) and posts `FlowScreen.TraceDone`
with its request id; results for an older request are dropped. Every label is a Rich `Text` built
from sanitised strings, never markup. `Enter` on a node dismisses the screen with a `FlowJump`
naming the entity to open; inside the moneytrail app it opens that entity on top of this screen
instead, so Esc there comes back to the tree as it was left (expansions and cursor intact).
`space` expands/collapses a node, `x`/`c` every node, `e` exports the tree (every node, depth
first). The tree moves with the grid's keys (`j k g G`, PgUp/PgDn, Home/End).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from moneytrail.data.dataset import Dataset
from moneytrail.present.money import format_money, format_share
from moneytrail.present.sanitize import safe_str, safe_text
from moneytrail.present.trace import context_text, node_label
from moneytrail.query.filters import Filters
from moneytrail.query.trace_result import FlowNode, TraceResult
from moneytrail.ui.screens.once import DismissOnce

FlowEntity = Literal["committee", "race", "donor"]

#: Tree levels expanded when the result arrives.
OPEN_LEVELS = 2


@dataclass(frozen=True, slots=True)
class FlowJump:
    """The entity Enter chose: ``entity`` is donor, committee, race or candidate."""

    entity: str
    entity_id: str
    name: str


def jump_target(node: FlowNode) -> FlowJump | None:
    """The entity a tree node stands for, or None (an "other" group, a direct expenditure)."""
    kind, key = node.kind, node.id
    if not key:
        return None
    if kind in ("individual", "organization", "donor"):
        return FlowJump("donor", key, node.name)
    if kind in ("committee", "own_funds", "held", "expenditure"):
        return FlowJump("committee", key, node.name)
    if kind == "race":
        return FlowJump("race", key, node.name)
    if kind == "candidate":
        return FlowJump("candidate", key, node.name)
    if kind == "independent_expenditure":
        cand = key.partition("|")[0]
        return None if cand in ("", "?") else FlowJump("candidate", cand, node.name)
    return None


def compute_trace(
    dataset: Dataset, filters: Filters, entity: str, entity_id: str
) -> tuple[str, TraceResult]:
    """Run the trace for the screen (thread-safe; no Textual). A candidate traces its race."""
    from moneytrail.query.kinds import kind

    k = kind(entity)
    return k.traced_as, k.trace(dataset, filters, entity_id)


class FlowTree(Tree[FlowNode | None]):
    """The flow tree, moved with the same keys as the grid and the statistics panel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, tooltip="next node"),
        Binding("k,up", "cursor_up", "Up", show=False, tooltip="previous node"),
        Binding("g,home", "scroll_home", "Top", show=False, tooltip="first node"),
        Binding("G,end", "scroll_end", "Bottom", show=False, tooltip="last node"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, tooltip="page down"),
        Binding("pageup,ctrl+u", "page_up", "Page up", show=False, tooltip="page up"),
        Binding("enter", "select_cursor", "Open", show=True, tooltip="open the node's entity"),
        Binding("space", "toggle_node", "Expand", show=False, tooltip="expand / collapse a node"),
    ]


class FlowScreen(DismissOnce, Screen[FlowJump | None]):
    """The flow view of one committee, race or donor (see the module docstring)."""

    DEFAULT_CSS = """
    FlowScreen #flow-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    FlowScreen #flow-context { height: auto; padding: 0 1; color: $text-warning; }
    FlowScreen #flow-status { height: auto; padding: 0 1; color: $text-muted; }
    FlowScreen Tree { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,backspace",
            "close",
            "Back",
            id="flow.close",
            tooltip="back to the view traced",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="flow.export",
            tooltip="export the tree (every node, depth first): .csv .parquet .json .md",
        ),
        Binding("x", "expand_all", "Expand all", id="flow.expand_all", tooltip="expand every node"),
        Binding(
            "c",
            "collapse_all",
            "Collapse all",
            id="flow.collapse_all",
            tooltip="collapse to level 1",
        ),
    ]

    @dataclass
    class TraceDone(Message):
        """A trace finished: `result` answers request `request_id` (or `error` is set)."""

        request_id: int
        traced: str
        result: TraceResult | None
        error: str | None = None

    def __init__(
        self,
        dataset: Dataset,
        filters: Filters,
        entity: FlowEntity | Literal["candidate"],
        entity_id: str,
        title: str = "",
        trail: tuple[Any, ...] = (),
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.filters = filters
        self.entity = entity
        self.entity_id = entity_id
        self.flow_title = title or entity_id
        self._titled = bool(title)
        self.trail = trail
        self.request_id = 0
        #: The result on screen (None while tracing or after an error).
        self.result: TraceResult | None = None

    def compose(self) -> ComposeResult:
        yield Static(self._title_text(), id="flow-title")
        yield Static("", id="flow-context")
        yield Static(f"Tracing {safe_str(self.flow_title)}…", id="flow-status", markup=False)
        tree = FlowTree(safe_text(self.flow_title), id="flow-tree", data=None)
        tree.auto_expand = False
        tree.show_root = True
        yield tree
        yield Footer(compact=True)

    def _title_text(self) -> Text:
        verb = "Where the money went" if self.entity == "donor" else "Where the money came from"
        text = Text(f"{verb}: ", no_wrap=True, overflow="ellipsis")
        text.append_text(safe_text(self.flow_title))
        if not self.filters.is_default:
            text.append(f"  [{'; '.join(self.filters.describe())}]", style="dim")
        return text

    def on_mount(self) -> None:
        self.retrace()

    def on_screen_resume(self) -> None:
        """Back from an entity opened here: trace again only if the filters changed there."""
        filters = getattr(self.app, "filters", None)
        if isinstance(filters, Filters) and filters != self.filters:
            self.retrace(filters)

    def retrace(self, filters: Filters | None = None) -> None:
        """(Re)run the trace, e.g. after the global filters changed; older results are dropped."""
        if filters is not None:
            self.filters = filters
            self.query_one("#flow-title", Static).update(self._title_text())
        self.request_id += 1
        self.result = None
        self.query_one("#flow-status", Static).update(Text(f"Tracing {safe_str(self.flow_title)}…"))
        self._trace(self.request_id, self.filters)

    @work(thread=True, exclusive=True, group="trace", exit_on_error=False)
    def _trace(self, request_id: int, filters: Filters) -> None:
        worker = get_current_worker()
        try:
            traced, result = compute_trace(self.dataset, filters, self.entity, self.entity_id)
        except Exception as exc:  # shown on screen; the app keeps running
            if not worker.is_cancelled:
                self.post_message(self.TraceDone(request_id, self.entity, None, str(exc)))
            return
        if worker.is_cancelled:
            return
        self.post_message(self.TraceDone(request_id, traced, result))

    def on_flow_screen_trace_done(self, message: FlowScreen.TraceDone) -> None:
        if message.request_id != self.request_id:
            return  # a stale answer to an older request
        status = self.query_one("#flow-status", Static)
        if message.error is not None or message.result is None:
            status.update(Text(f"Could not trace: {safe_str(message.error)}"))
            return
        self.result = message.result
        if not self._titled:
            self.flow_title = message.result.name
            self.query_one("#flow-title", Static).update(self._title_text())
        self._show(message.result, message.traced)

    def _show(self, result: TraceResult, traced: str) -> None:
        context = self.query_one("#flow-context", Static)
        context.update(context_text(result))
        status = self.query_one("#flow-status", Static)
        if result.total_cents == 0 and not result.tree.children:
            status.update(Text("No money to trace under the current filters."))
        else:
            lines = Text()
            noun = "ultimate source" if result.direction == "sources" else "destination"
            plural = "" if result.entry_count == 1 else "s"
            lines.append(f"{result.entry_count:,} {noun}{plural}")
            if traced != self.entity:
                lines.append(f" · traced the candidate's {traced}")
            if result.untraced_share:
                lines.append(
                    f" · {format_share(result.untraced_share)} circulates in a closed cycle "
                    "(shown as own funds)"
                )
            lines.append(" · Enter opens · space expands · x/c expand/collapse all", style="dim")
            status.update(lines)
        tree = self.query_one("#flow-tree", Tree)
        tree.clear()
        tree.root.data = result.tree
        # Every node's amount is right-aligned to the width of the root's.
        width = len(format_money(result.tree.amount_cents))
        tree.root.set_label(node_label(result.tree, root=True, amount_width=width))
        self._add_branches(tree.root, result.tree, 0, width)
        tree.root.expand()
        tree.focus()

    def _add_branches(
        self, parent: TreeNode[FlowNode | None], node: FlowNode, depth: int, width: int
    ) -> None:
        for child in node.children:
            label = node_label(child, amount_width=width)
            if child.children:
                branch = parent.add(label, data=child, expand=depth + 1 < OPEN_LEVELS)
                self._add_branches(branch, child, depth + 1, width)
            else:
                parent.add_leaf(label, data=child)

    def on_tree_node_selected(self, event: Tree.NodeSelected[FlowNode | None]) -> None:
        event.stop()
        if not self.is_active:
            return  # a second Enter queued before the first one left this screen
        node = event.node.data
        target = jump_target(node) if node is not None else None
        if target is None:
            self.notify("Nothing to open here.", timeout=2, markup=False)
            return
        if target.entity == self.entity and target.entity_id == self.entity_id:
            return
        opener = getattr(self.app, "open_view", None)
        if opener is None:
            self.dismiss(target)
            return
        from moneytrail.ui.views import EntityView

        # Opened on top of this screen: Esc there comes back to the tree as it is now.
        view = EntityView(target.entity, target.entity_id, target.name)  # type: ignore[arg-type]
        opener(view, self.trail)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        """`e`: write the tree (every node, depth first) to a file the user names."""
        result = self.result
        exporter = getattr(self.app, "export_with", None)
        if result is None or exporter is None:
            self.notify("Nothing to export yet: the trace is running.", timeout=2, markup=False)
            return
        from moneytrail.ui.loaders import export_trace

        nodes = _count_nodes(result.tree)
        exporter(partial(export_trace, result), nodes, f"trace-{self.flow_title}")

    def action_expand_all(self) -> None:
        """`x`: expand every node."""
        self.query_one("#flow-tree", Tree).root.expand_all()

    def action_collapse_all(self) -> None:
        """`c`: collapse every node but the root."""
        tree = self.query_one("#flow-tree", Tree)
        tree.root.collapse_all()
        tree.root.expand()


def _count_nodes(node: FlowNode) -> int:
    return 1 + sum(_count_nodes(child) for child in node.children)
