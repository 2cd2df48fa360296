// GHES-shaped webhook payloads, written here from what the GHES pages and payload examples show (not
// copied): the quirks api.github.com's schemas reject are in on purpose — a top-level `enterprise`, the
// `repository_pre_receive_hooks` permission, no `suspended_at`/`suspended_by`, and an epoch-number
// `created_at` in `created` and `added` deliveries.
const HOST = "https://ghes.example.com";

const user = (login: string, id: number, type = "User") => ({
  login,
  id,
  node_id: `MDQ6VXNlcj${id}`,
  avatar_url: `${HOST}/avatars/u/${id}?`,
  gravatar_id: "",
  url: `${HOST}/api/v3/users/${login}`,
  html_url: `${HOST}/${login}`,
  type,
  site_admin: false,
});

const enterprise = {
  id: 1,
  slug: "github",
  name: "GitHub",
  node_id: "MDg6QnVzaW5lc3Mx",
  avatar_url: `${HOST}/avatars/b/1?`,
  description: null,
  website_url: null,
  html_url: `${HOST}/businesses/github`,
  created_at: "2021-03-01T10:00:00Z",
  updated_at: "2021-03-01T10:00:00Z",
};

function installation(epoch: boolean) {
  const at = epoch ? 1614592800 : "2021-03-01T10:00:00.000Z";
  return {
    id: 42,
    account: user("octo-org", 7, "Organization"),
    repository_selection: "selected",
    access_tokens_url: `${HOST}/api/v3/app/installations/42/access_tokens`,
    repositories_url: `${HOST}/api/v3/installation/repositories`,
    html_url: `${HOST}/organizations/octo-org/settings/installations/42`,
    app_id: 3,
    target_id: 7,
    target_type: "Organization",
    permissions: { contents: "read", metadata: "read", repository_pre_receive_hooks: "write" },
    events: ["push", "pull_request"],
    created_at: at,
    updated_at: at,
    single_file_name: null,
  };
}

const repo = (id: number, name: string) => ({ id, node_id: `MDEwOlJlcG9zaXRvcnk${id}`, name, full_name: `octo-org/${name}`, private: false });

const appHook = {
  type: "App",
  id: 11,
  name: "web",
  active: true,
  events: ["installation", "installation_repositories"],
  config: { content_type: "json", insecure_ssl: "0", url: "https://app.example.com/webhooks" },
  app_id: 3,
  created_at: "2021-03-01T10:00:00Z",
  updated_at: "2021-03-01T10:00:00Z",
};

/** A payload as a GHES of the era sends it for `key` ("event.action" or a bare event). */
export function ghesPayload(key: string): Record<string, unknown> {
  const [event, action] = key.split(".") as [string, string | undefined];
  const sender = user("monalisa", 2);
  switch (event) {
    case "installation":
    case "integration_installation":
      return { action, installation: installation(action === "created"), ...(action === "deleted" ? {} : { repositories: [repo(118, "api")] }), enterprise, sender };
    case "installation_repositories":
    case "integration_installation_repositories":
      return {
        action,
        installation: installation(action === "added"),
        repository_selection: "selected",
        repositories_added: action === "added" ? [repo(119, "web")] : [],
        repositories_removed: action === "removed" ? [repo(118, "api")] : [],
        enterprise,
        sender,
      };
    case "github_app_authorization":
      return { action, sender };
    case "installation_target":
      return { action, account: user("octo-org-renamed", 7, "Organization"), changes: { login: { from: "octo-org" } }, installation: { id: 42, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" }, target_type: "Organization", sender, enterprise };
    case "meta":
      return { action, hook_id: appHook.id, hook: appHook, sender };
    case "ping":
      return { zen: "Design for failure.", hook_id: appHook.id, hook: appHook };
    default:
      throw new Error(`no GHES payload written for ${key}`);
  }
}
