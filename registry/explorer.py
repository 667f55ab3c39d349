"""The explorer: GraphiQL with its explorer plugin, the example questions as ready tabs, and "Log in".

Its page and scripts come from the registry's own assets (`registry/explorer_static/`; the npm packages
in `vendor/` are copied there from `explorer/package-lock.json` by `make install` and the Dockerfile),
never from a CDN: the page also says so to the browser in its Content-Security-Policy. Each example
says which token it needs, worked out from the node kinds its selection reaches (their visibility in
`resolvers/kinds.py`) and its variables; "Log in" is OIDC authorization code + PKCE against a
configured issuer (done by `explorer_static/explorer.js` in the browser: the registry holds no session).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graphql import (
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    TypeInfo,
    Visitor,
    get_named_type,
    parse,
    visit,
)
from graphql.error import GraphQLSyntaxError
from graphql.language import FieldNode, FragmentDefinitionNode, Node
from graphql.utilities import TypeInfoVisitor
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from registry.settings import IssuerSettings, Settings
from resolvers.kinds import KINDS, Visibility
from schema.node import BOUND

log = logging.getLogger("registry")

STATIC = Path(__file__).resolve().parent / "explorer_static"
ASSETS_PATH = "/explorer/assets"
# Loaded in this order: each UMD script sets the global the next one (and explorer.js) uses.
SCRIPTS = (
    "vendor/react.production.min.js",
    "vendor/react-dom.production.min.js",
    "vendor/graphiql.min.js",
    "vendor/plugin-explorer.umd.js",
    "explorer.js",
)
STYLES = ("vendor/graphiql.min.css", "vendor/plugin-explorer.css", "explorer.css")

_GROUP_VISIBILITY = {
    Visibility.OWN_GROUP,
    Visibility.GROUP_SLA,
    Visibility.GROUP_PROJECT,
    Visibility.GROUP_PROJECT_QUOTA,
}
_TOKEN_VISIBILITY = {Visibility.MEMBERS, Visibility.MEMBERS_SHARED_OR_LINKED}
# An example may say who runs it in its header comment: `# Token: ...` (it then wins over the rule).
_TOKEN_LINE = re.compile(r"^#\s*token\s*:\s*(?P<text>.+)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """One of `examples/queries/`, as the explorer opens it in a tab."""

    name: str  # the file's stem, e.g. 1-matchmaking
    operation: str | None
    description: str  # its header comment
    query: str
    variables: str | None  # JSON text, as the variables editor shows it
    token: str  # who may run it: which token it needs
    login_issuer: str | None  # the configured issuer to log in at for it, when one is named


def _visibility_by_type() -> dict[str, Visibility]:
    """GraphQL type name -> the visibility of the node kind it is bound to."""
    found: dict[str, Visibility] = {}
    for label, (cls, _) in BOUND.items():
        if label in KINDS:
            found[cls.__strawberry_definition__.name] = KINDS[label].visibility
    return found


def reached_types(schema: GraphQLSchema, document: Node) -> set[str]:
    """The named types of every field the document selects, and of its fragments' type conditions."""
    info = TypeInfo(schema)
    names: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            field_type = info.get_type()
            if field_type is not None:
                names.add(get_named_type(field_type).name)

        def enter_inline_fragment(self, node: InlineFragmentNode, *_: Any) -> None:
            if node.type_condition is not None:
                names.add(node.type_condition.name.value)

        def enter_fragment_definition(self, node: FragmentDefinitionNode, *_: Any) -> None:
            names.add(node.type_condition.name.value)

    visit(document, TypeInfoVisitor(info, Collect()))
    return names


def token_need(
    schema: GraphQLSchema, query: str, variables: dict[str, Any], issuers: list[IssuerSettings]
) -> tuple[str, str | None]:
    """(what token the query needs, in words; the configured issuer to log in at for it, if known).

    The rule: a query reaching a group's nodes (user groups, SLAs, projects, quotas) answers only for
    the groups the token lists; one reaching identity providers or volume types needs any token; the
    rest is the public catalogue (anonymous callers, where allowed, see its shared part)."""
    explicit = _TOKEN_LINE.search(query)
    visibility = _visibility_by_type()
    seen = {visibility[name] for name in reached_types(schema, parse(query)) if name in visibility}
    group, idp = variables.get("group"), variables.get("issuer")
    login = next((i.url for i in issuers if isinstance(idp, str) and i.graph_endpoint == idp), None)
    if explicit:
        return explicit.group("text").strip(), login
    if seen & _GROUP_VISIBILITY:
        if isinstance(group, str) and isinstance(idp, str):
            return f"a token listing the group {group} (of {idp}); other groups' data stays hidden", login
        return "a token listing the groups whose data you want (an administrator's sees every group)", login
    if seen & _TOKEN_VISIBILITY:
        return "any token (not anonymous)", login
    if Visibility.SHARED_OR_LINKED in seen:
        return "none for the shared catalogue; a member's token also shows their projects' private resources", login
    return "none: the public catalogue", login


def _description(query: str) -> str:
    lines = []
    for line in query.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


def read_examples(folder: Path, schema: GraphQLSchema, issuers: list[IssuerSettings]) -> list[Example]:
    """Every `*.graphql` of `folder` with the variables of the `.json` beside it (sorted by name)."""
    examples = []
    for path in sorted(folder.glob("*.graphql")):
        query = path.read_text()
        values_path = path.with_suffix(".json")
        values: dict[str, Any] = json.loads(values_path.read_text()) if values_path.exists() else {}
        try:
            document = parse(query)
        except GraphQLSyntaxError as error:
            log.warning("explorer: example %s left out: %s", path.name, error.message)
            continue
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        token, login = token_need(schema, query, values, issuers)
        examples.append(
            Example(
                name=path.stem,
                operation=operations[0].name.value if operations and operations[0].name else None,
                description=_description(query),
                query=query,
                variables=json.dumps(values, indent=2) if values else None,
                token=token,
                login_issuer=login,
            )
        )
    return examples


def examples_folder(settings: Settings) -> Path | None:
    """The configured folder, else the repository's (a checkout) or the working directory's (the image)."""
    if settings.explorer_examples is not None:
        return settings.explorer_examples
    for candidate in (Path(__file__).resolve().parent.parent / "examples" / "queries", Path.cwd() / "examples/queries"):
        if candidate.is_dir():
            return candidate
    return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Explorer:
    """The explorer page (what a browser gets at GET /graphql) and the route of its assets."""

    def __init__(self, settings: Settings, schema: GraphQLSchema) -> None:
        self.settings = settings
        folder = examples_folder(settings)
        self.examples = read_examples(folder, schema, settings.issuers) if folder is not None else []
        self.built = (STATIC / "vendor" / "graphiql.min.js").is_file()
        if not self.built:
            log.warning("explorer: its npm assets are not built (run `make install`); /graphql shows how to")
        issuer_origins = sorted({_origin(i.url) for i in settings.issuers})
        # The page may load nothing but this service's own files, and talk to it and the issuers only.
        self.policy = "; ".join(
            (
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",  # React and CodeMirror set style attributes
                "img-src 'self' data:",
                "font-src 'self' data:",
                "connect-src " + " ".join(["'self'", *issuer_origins]),
                "base-uri 'none'",
                "form-action 'none'",
                "frame-ancestors 'none'",
            )
        )

    def routes(self) -> list[BaseRoute]:
        return [Mount(ASSETS_PATH, StaticFiles(directory=STATIC, check_dir=False), name="explorer-assets")]

    def config(self, root_path: str) -> dict[str, Any]:
        return {
            "endpoint": f"{root_path}/graphql",
            "clientId": self.settings.explorer_client_id,
            "scope": self.settings.explorer_scope,
            "issuers": [{"url": i.url, "identityProvider": i.graph_endpoint} for i in self.settings.issuers],
            "examples": [asdict(e) for e in self.examples],
            "introspection": self.settings.introspection,
            "anonymousRead": self.settings.anonymous_read_enabled,
        }

    def page(self, root_path: str = "") -> HTMLResponse:
        headers = {"Content-Security-Policy": self.policy, "Cache-Control": "no-cache"}
        if not self.built:
            body = (
                "<!doctype html><title>Explorer not built</title><p>The explorer's assets are not built: "
                "run <code>make install</code> (it runs <code>npm ci</code> and <code>npm run build</code> in "
                "<code>explorer/</code>).</p>"
            )
            return HTMLResponse(body, status_code=503, headers=headers)
        assets = f"{root_path}{ASSETS_PATH}"
        # JSON inside <script>: `<` escaped so no value can close the element.
        config = json.dumps(self.config(root_path)).replace("<", "\\u003c")
        styles = "".join(f'<link rel="stylesheet" href="{assets}/{s}">' for s in STYLES)
        scripts = "".join(f'<script src="{assets}/{s}"></script>' for s in SCRIPTS)
        body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Federation Registry explorer</title>
<link rel="icon" href="data:,">{styles}</head>
<body><header id="explorer-bar"></header><main id="graphiql">Loading the explorer…</main>
<script id="explorer-config" type="application/json">{config}</script>{scripts}</body></html>"""
        return HTMLResponse(body, headers=headers)
