"""What upstream's validate_user_template says of each template: Jinja2's parse of it, then
Prefect's limits on for loops (at most 10, nested at most 2 deep). Reads a JSON list of templates
from the file named by argv[1]; prints {"results": [null or {"line", "message"}, ...]}."""
import json
import sys

from jinja2 import Environment, TemplateSyntaxError, nodes

MAX_LOOP_COUNT = 10
MAX_NESTED_LOOP_DEPTH = 2


def depth(node, d=0):
    if isinstance(node, nodes.For):
        d += 1
    children = list(node.iter_child_nodes())
    return max([depth(c, d) for c in children], default=d)


def check(template):
    try:
        root = Environment().parse(template)
    except TemplateSyntaxError as e:
        return {"line": e.lineno, "message": e.message}
    loops = list(root.find_all(nodes.For))
    if len(loops) > MAX_LOOP_COUNT:
        return {"line": 0, "message": f"Contains {len(loops)} for loops. Templates can contain no more than {MAX_LOOP_COUNT} for loops."}
    deepest = max([depth(f) for f in loops], default=0)
    if deepest > MAX_NESTED_LOOP_DEPTH:
        return {"line": 0, "message": f"Contains nested for loops at a depth of {deepest}. Templates can nest for loops no more than {MAX_NESTED_LOOP_DEPTH} loops deep."}
    return None


with open(sys.argv[1], encoding="utf-8") as f:
    templates = json.load(f)
print(json.dumps({"results": [check(t) for t in templates]}))
