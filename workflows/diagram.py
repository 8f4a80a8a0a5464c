"""A process's BPMN diagram with the steps it stands at now, for its subject's page.

Viewflow's chart module lays a flow out on a grid. That layout depends only on
the flow class, so it is computed once per flow and kept; a request only reads
the process's tasks to mark which nodes are active (an open task: new,
assigned or started) and which are done, and to say who holds each open human
task. The diagram is drawn by ``workflows/_diagram.html`` as inline SVG.

This module knows no workflow by name: it works from the subject's
``process`` and that process's flow class. It checks no visibility either:
the page that shows the diagram has already decided the user may see the
subject, and the diagram tells nothing the page does not (titles of steps and
the people or unit queues holding them).
"""

import functools
from dataclasses import dataclass

from django.utils.translation import get_language, gettext as _, gettext_lazy
from viewflow.workflow import chart
from viewflow.workflow.status import STATUS

from project.org.models import Position, Unit

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

# viewflow labels an If gateway's outgoing edges in English and untranslated
EDGE_LABELS = {"yes": gettext_lazy("ya"), "no": gettext_lazy("tidak")}


@dataclass(frozen=True)
class NodeShape:
    name: str
    title: str
    x: int
    y: int
    svg: str  # viewflow's markup for the node type: trusted, not user input
    lines: tuple  # (text, x, y) of the title wrapped inside a task box; empty for events and gateways


@dataclass(frozen=True)
class EdgePath:
    d: str
    label: str
    label_x: int | None
    label_y: int | None


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    nodes: tuple
    edges: tuple


@dataclass(frozen=True)
class Step:
    """An open human task: what it is, who holds it, and whether that is the viewer."""

    title: str
    holder: str
    yours: bool


@functools.lru_cache(maxsize=None)
def flow_layout(flow_class, language):
    """The flow's laid-out shapes and edges.

    ``language`` is part of the cache key only: viewflow words the titles
    inside task boxes (and wraps them) when it lays the flow out, so each
    language gets its own copy.
    """
    grid = chart.calc_layout_data(flow_class)
    nodes = tuple(
        NodeShape(
            name=cell.node.name,
            title=cell.title or cell.shape.label(),
            x=cell.shape.x,
            y=cell.shape.y,
            svg=cell.shape.svg,
            lines=tuple((text, x, y) for text, _class, _size, x, y in cell.shape.text),
        )
        for cell in grid.cells
    )
    edges = tuple(
        EdgePath(
            d=" ".join(f"{'L' if index else 'M'}{x},{y}" for index, (x, y) in enumerate(edge.segments)),
            label=str(EDGE_LABELS.get(edge.label, edge.label or "")),
            label_x=edge.label_pos[0] if edge.label_pos else None,
            label_y=edge.label_pos[1] if edge.label_pos else None,
        )
        for edge in grid.edges
        if edge.segments
    )
    return Layout(width=grid.width, height=grid.height, nodes=nodes, edges=edges)


def process_diagram(subject, user):
    """The diagram's template context for ``subject``, or None when it has no process yet."""
    process = subject.process
    if process is None:
        return None
    layout = flow_layout(process.flow_class, get_language())
    tasks = list(process.task_set.select_related("owner").order_by("created", "pk"))
    active = {task.flow_task.name for task in tasks if task.status in OPEN}
    done = {task.flow_task.name for task in tasks if task.status == STATUS.DONE} - active
    nodes = [
        (node, "active" if node.name in active else "done" if node.name in done else "")
        for node in layout.nodes
    ]
    return {
        "dom_id": f"diagram-{process.pk}",
        "title": process.flow_class.process_title,
        "layout": layout,
        "nodes": nodes,
        "now": [node.title for node, state in nodes if state == "active"],
        "steps": open_steps([task for task in tasks if task.status in OPEN and task.flow_task_type == "HUMAN"], user),
        "finished": process.status == STATUS.DONE,
    }


def open_steps(tasks, user):
    """Who holds each open human task: its owner, or the queue it waits in while unclaimed.

    An unclaimed task waits in the queue of the unit (``task.data["unit"]``)
    or of the position (``task.data["position"]``) it was given to.
    """
    data = [task.data or {} for task in tasks]
    units = Unit.objects.in_bulk({item["unit"] for item in data if "unit" in item})
    positions = Position.objects.select_related("unit").in_bulk(
        {item["position"] for item in data if "position" in item}
    )
    steps = []
    for task, item in zip(tasks, data):
        if task.owner is not None:
            holder = task.owner.get_full_name() or task.owner.get_username()
        elif item.get("unit") in units:
            holder = _("antrean %(queue)s") % {"queue": units[item["unit"]]}
        elif item.get("position") in positions:
            holder = _("antrean %(queue)s") % {"queue": positions[item["position"]]}
        else:
            holder = _("belum diambil")
        yours = task.owner_id is not None and task.owner_id == user.pk
        steps.append(Step(title=str(task.flow_task.task_title), holder=holder, yours=yours))
    return steps
