// The explorer page: GraphiQL (with the explorer plugin) opened on the registry's example questions,
// and "Log in" by OIDC authorization code + PKCE at a configured issuer; the token then goes into the
// Authorization header of every request. The token lives in this tab's sessionStorage only.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("explorer-config").textContent);
  const h = React.createElement;
  const TOKEN_KEY = "registry-explorer:token";
  const LOGIN_KEY = "registry-explorer:login";
  const bar = document.getElementById("explorer-bar");
  // Where the issuer sends the person back: this page, without its query (the code arrives there).
  const redirectUri = window.location.origin + window.location.pathname;

  function base64url(bytes) {
    let text = "";
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function randomText(size) {
    return base64url(crypto.getRandomValues(new Uint8Array(size)));
  }

  // The claims of a JWT, for showing who is logged in (the registry verifies the token, not this).
  function claimsOf(jwt) {
    try {
      const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (e) {
      return {};
    }
  }

  function currentLogin() {
    const login = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null");
    if (login && login.expiresAt <= Date.now()) {
      sessionStorage.removeItem(TOKEN_KEY);
      return null;
    }
    return login;
  }

  async function discover(issuer) {
    const response = await fetch(issuer.replace(/\/$/, "") + "/.well-known/openid-configuration");
    if (!response.ok) throw new Error(`the issuer's discovery document answered ${response.status}`);
    const meta = await response.json();
    if (!meta.authorization_endpoint || !meta.token_endpoint) {
      throw new Error("the issuer publishes no authorization or token endpoint");
    }
    return meta;
  }

  async function logIn(issuer) {
    const meta = await discover(issuer);
    const verifier = randomText(32);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
    const state = randomText(16);
    sessionStorage.setItem(
      LOGIN_KEY,
      JSON.stringify({ issuer, verifier, state, tokenEndpoint: meta.token_endpoint }),
    );
    const target = new URL(meta.authorization_endpoint);
    const params = {
      response_type: "code",
      client_id: config.clientId,
      redirect_uri: redirectUri,
      scope: config.scope,
      state,
      code_challenge: base64url(new Uint8Array(digest)),
      code_challenge_method: "S256",
    };
    for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
    window.location.assign(target.toString());
  }

  // Back from the issuer with ?code&state (or ?error): trade the code for a token.
  async function finishLogIn() {
    const params = new URLSearchParams(window.location.search);
    if (!params.has("code") && !params.has("error")) return null;
    const pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || "null");
    sessionStorage.removeItem(LOGIN_KEY);
    window.history.replaceState(null, "", window.location.pathname); // the code leaves the address bar
    if (!pending || params.get("state") !== pending.state) {
      return "the issuer's answer does not belong to a log in started in this tab";
    }
    if (params.has("error")) return `the issuer refused: ${params.get("error")}`;
    const response = await fetch(pending.tokenEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: params.get("code"),
        redirect_uri: redirectUri,
        client_id: config.clientId,
        code_verifier: pending.verifier,
      }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      return `the token endpoint refused: ${body.error_description || body.error || response.status}`;
    }
    const claims = claimsOf(body.access_token);
    sessionStorage.setItem(
      TOKEN_KEY,
      JSON.stringify({
        accessToken: body.access_token,
        issuer: pending.issuer,
        subject: claims.sub || "?",
        expiresAt: Date.now() + 1000 * (body.expires_in || 300),
      }),
    );
    return null;
  }

  function logOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    renderBar(null);
    renderGraphiQL();
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, attributes || {});
    for (const child of children) node.append(child);
    return node;
  }

  function renderBar(problem) {
    const login = currentLogin();
    bar.replaceChildren(element("strong", {}, "Federation Registry explorer"));
    if (login) {
      const until = new Date(login.expiresAt).toLocaleTimeString();
      bar.append(
        element(
          "span",
          { id: "explorer-login-state" },
          `Logged in as ${login.subject} at ${login.issuer} (token until ${until}); it goes in every request's Authorization header.`,
        ),
        element("button", { id: "explorer-logout", onclick: logOut }, "Log out"),
      );
    } else {
      const choice = element("select", { id: "explorer-issuer", title: "the issuer to log in at" });
      for (const issuer of config.issuers) {
        choice.append(element("option", { value: issuer.url }, `${issuer.url} (groups of ${issuer.identityProvider})`));
      }
      const button = element("button", { id: "explorer-login", disabled: config.issuers.length === 0 }, "Log in");
      button.onclick = () => logIn(choice.value).catch((error) => renderBar(`Log in failed: ${error.message}`));
      const anonymous = config.anonymousRead ? "anonymous: the public catalogue only" : "anonymous requests are refused";
      bar.append(element("span", { id: "explorer-login-state" }, `Not logged in (${anonymous}).`), choice, button);
      if (config.introspection === "authenticated") {
        bar.append(element("span", { className: "explorer-hint" }, "Docs and completion load once you are logged in."));
      }
    }
    if (problem) bar.append(element("span", { className: "explorer-problem", role: "alert" }, problem));
  }

  function selectIssuer(url) {
    const choice = document.getElementById("explorer-issuer");
    if (choice && url) choice.value = url;
  }

  async function fetcher(params, options) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const login = currentLogin();
    if (login) headers.Authorization = `Bearer ${login.accessToken}`;
    Object.assign(headers, (options && options.headers) || {}); // the Headers tab wins
    const response = await fetch(config.endpoint, { method: "POST", headers, body: JSON.stringify(params) });
    return response.json();
  }

  function tabQuery(example) {
    return `# Token needed: ${example.token}\n${example.query}`;
  }

  // The Examples panel: every question with what it asks and who may run it.
  function ExamplesPanel() {
    const editor = GraphiQL.React.useEditorContext({ nonNull: true });
    function open(example, index) {
      const at = editor.tabs.findIndex((tab) => tab.title === (example.operation || "<untitled>"));
      if (at >= 0) {
        editor.changeTab(at);
      } else {
        editor.addTab();
        setTimeout(() => {
          editor.queryEditor && editor.queryEditor.setValue(tabQuery(example));
          editor.variableEditor && editor.variableEditor.setValue(example.variables || "");
        }, 0);
      }
      selectIssuer(example.login_issuer);
    }
    return h(
      "div",
      { className: "explorer-examples" },
      h("div", { className: "graphiql-doc-explorer-title" }, "Examples"),
      h("p", null, "The questions of examples/queries/, each a tab with its variables. Open one, then run it (▶)."),
      config.examples.map((example, index) =>
        h(
          "section",
          { key: example.name, className: "explorer-example", "data-example": example.name },
          h("button", { type: "button", onClick: () => open(example, index) }, `${example.name}: ${example.operation || ""}`),
          h("p", null, example.description),
          h("p", { className: "explorer-token" }, h("strong", null, "Token: "), example.token),
        ),
      ),
    );
  }

  const examplesPlugin = {
    title: "Examples",
    icon: () => h("span", { className: "explorer-examples-icon", "aria-hidden": true }, "Ex"),
    content: ExamplesPanel,
  };
  const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));

  function renderGraphiQL() {
    // A new fetcher (the token changed) makes GraphiQL fetch the schema again.
    const fetch = (params, options) => fetcher(params, options);
    root.render(
      h(GraphiQL, {
        fetcher: fetch,
        plugins: [examplesPlugin, explorerPlugin],
        visiblePlugin: examplesPlugin,
        defaultTabs: config.examples.map((example) => ({
          query: tabQuery(example),
          variables: example.variables || undefined,
        })),
        defaultEditorToolsVisibility: true,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
        inputValueDeprecation: true,
      }),
    );
  }

  finishLogIn()
    .catch((error) => `Log in failed: ${error.message}`)
    .then((problem) => {
      renderBar(problem);
      const first = config.examples.find((example) => example.login_issuer);
      if (first) selectIssuer(first.login_issuer);
      renderGraphiQL();
    });
})();
