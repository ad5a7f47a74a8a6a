// roundtrip drives the example's generated TypeScript client (client.ts)
// against a running example: node roundtrip.js BASE_URL TOKEN. It prints
// one line per check and exits 1 on the first failure.
import { APIError, Client, type Todo, type User } from "./client.js";

// The little of Node this script needs, declared here so that it compiles
// without @types/node: the client itself needs nothing of Node's.
declare const process: { argv: string[]; exit(code: number): never };

const base = process.argv[2] ?? "";
const token = process.argv[3] ?? "";

function check(ok: boolean, what: string, got?: unknown): void {
  if (!ok) {
    console.log(`FAIL ${what}: ${JSON.stringify(got)}`);
    process.exit(1);
  }
  console.log(`ok ${what}`);
}

async function apiError(p: Promise<unknown>): Promise<APIError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof APIError) return e;
    throw e;
  }
  throw new Error("no error");
}

async function main(): Promise<void> {
  const c = new Client(base, { bearerToken: token });
  const ada: User = await c.users.create({ name: "ada", email: "ada@example.com" });
  check(ada.id > 0 && ada.name === "ada" && ada.created !== "", "users.create", ada);
  check((await c.users.get(ada.id)).email === "ada@example.com", "users.get");
  check((await c.users.byName("ada")).id === ada.id, "users.byName");
  const page = await c.users.list(10, 0, "a");
  check(page.users?.length === 1, "users.list", page);

  let e = await apiError(c.users.create({ name: "ada", email: "ada@example.com" }));
  check(e.status === 409 && e.detail.includes("already exists"), "409", e);
  e = await apiError(c.users.create({ name: "X", email: "nope" }));
  check(e.status === 422 && e.errors.map((f) => f.field).join() === "name,email", "422 with field errors", e);
  e = await apiError(new Client(base).users.create({ name: "bob", email: "bob@example.com" }));
  check(e.status === 401 && (e.headers.get("WWW-Authenticate") ?? "").startsWith("Bearer"), "401", e);
  e = await apiError(c.users.get(999));
  check(e.status === 404 && e.detail.includes("not found"), "404", e);

  // The change feed: hello, then the todo added after it.
  const ac = new AbortController();
  const feed = c.todos.events(ada.id, { signal: ac.signal });
  const hello = await feed.next();
  check(!hello.done && hello.value.event === "hello", "events: hello", hello);
  const milk: Todo = await c.todos.add(ada.id, { title: "Buy milk", priority: 0, estimate_hours: 0.5, tags: ["home"] });
  check(milk.title === "Buy milk" && milk.priority === 3, "todos.add", milk);
  const change = await feed.next();
  check(!change.done && JSON.parse(change.value.data).todo.title === "Buy milk" && change.value.id !== "", "events: the change", change);
  ac.abort();
  check((await feed.next()).done === true, "events: aborted");

  check((await c.todos.update(ada.id, milk.id, { title: "Buy oat milk", done: null, priority: null, estimate_hours: null, tags: null })).title === "Buy oat milk", "todos.update");
  await c.todos.setDone(ada.id, milk.id, true);
  const done = await c.todos.list(ada.id, true, ["home"], 10, 0);
  check(done?.length === 1 && done[0]?.done === true, "todos.list", done);
  const found = await c.todos.search({ User: ada.id, Q: "oat" });
  check(found?.length === 1, "todos.search", found);
  e = await apiError(c.todos.search({ User: ada.id }));
  check(e.status === 422, "todos.search without q", e);
  const exported = await c.todos.export(ada.id);
  check(new TextDecoder().decode(exported).includes("Buy oat milk"), "todos.export");

  // The chat.
  const ws = await c.chat.join("lobby", { Name: "ann" });
  const joined = await ws.receiveJSON<{ text: string }>();
  check(joined?.text === "ann joined", "chat: joined", joined);
  ws.send("hello");
  const said = await ws.receiveJSON<{ from: string; text: string }>();
  check(said?.from === "ann" && said.text === "hello", "chat: said", said);
  ws.close();
  console.log("PASS");
}

main().catch((err) => {
  console.log(`FAIL ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
