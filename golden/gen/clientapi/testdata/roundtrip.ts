// roundtrip drives the generated TypeScript client (client.ts) against a
// running server of this package: node roundtrip.js BASE_URL TOKEN. It
// prints one line per check and exits 1 on the first failure.
import { APIError, Client, CloseError, Color, type Item, type ServerSentEvent } from "./client.js";

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

  // JSON bodies and results, a method handler's group, kk.Response.
  const it: Item = await c.items.create({ name: "lamp", color: Color.Red, tags: ["home"] });
  check(it.id === 1 && it.name === "lamp" && it.color === "red" && it.created === "2026-01-02T03:04:05Z" && it.ttl === 60e9 && it.owner.addr === "127.0.0.1" && it.dims.W === 2 && it.price === null, "create", it);
  check(JSON.stringify(await c.items.get(1)) === JSON.stringify(it), "get");
  await c.items.create({ name: "chair" });
  const list = await c.items.list("home", 0);
  check(list?.length === 1 && list[0]?.name === "lamp", "list with a tag", list);
  check((await c.items.list(undefined, 5))?.length === 2, "list without one");

  // Every error kind is an APIError with the problem body.
  let e = await apiError(c.items.get(7));
  check(e.status === 404 && e.detail === "no item 7" && e.title === "Not Found", "404", e);
  e = await apiError(c.items.get(99));
  check(e.status === 410 && e.detail === "item gone", "410", e);
  e = await apiError(c.items.create({ name: "" }));
  check(e.status === 422 && e.errors.length === 1 && e.errors[0]?.field === "name" && e.errors[0]?.in === "body", "422 with field errors", e);
  e = await apiError(new Client(base).items.create({ name: "x" }));
  check(e.status === 401 && e.headers.get("WWW-Authenticate") === "Bearer", "401", e);
  e = await apiError(c.fail("conflict"));
  check(e.status === 409 && e.message === "409 Conflict: already there", "409", e.message);
  e = await apiError(c.fail("internal"));
  check(e.status === 500 && e.detail === "", "500 without a detail", e);
  e = await apiError(c.fail("panic"));
  check(e.status === 500, "a panic is a 500", e);
  const spoiled = new Client(base, { editRequest: (url) => void (url.search = "limit=many") });
  e = await apiError(spoiled.items.list(undefined, 1));
  check(e.status === 400 && e.detail.includes("limit"), "400 for a bad query", e);
  check((await c.fail("none")) === undefined, "no error");
  let local = "";
  try {
    await c.params(1, 1, 1, true, "a/b", "::1", 0, new Date(0), "x");
  } catch (err) {
    local = String(err);
  }
  check(local.includes("path parameter s contains a slash"), "a slash in a path parameter fails before sending", local);

  // Path parameters of every kind, escaped; a catch-all.
  const at = new Date(Date.UTC(2026, 11, 8, 1, 2, 3, 456));
  const got = await c.params(-42, 255, 1.5, true, "b c?d#e%f&g=h+i", "fe80::1", "1.5s", at, "dir with space/..%2F/ü.txt");
  check(got === `i=-42 u=255 f=1.5 b=true s="b c?d#e%f&g=h+i" addr=fe80::1 d=1.5s t=2026-12-08T01:02:03.456Z rest="dir with space/..%2F/ü.txt"`, "path parameters", got);
  check((await c.params(1, 2, 0.5, false, "x", "::1", 1500, "2026-01-01T00:00:00Z", "y")).includes("d=1.5µs"), "a duration in nanoseconds");

  // Query parameters, an input struct, a form.
  const q = await c.query(undefined, [3, 1], true, at, 90e9, Color.Green);
  check(q === "n=nil ids=[3 1] on=true at=2026-12-08T01:02:03Z wait=1m30s color=green", "query", q);
  const found = await c.find({ Shelf: "top shelf", Q: "a&b=c", Colors: ["red", "green"], Lang: "fr", Token: "t0k" });
  check(found.shelf === "top shelf" && found.q === "a&b=c" && found.limit === 10 && found.colors?.join() === "red,green" && found.lang === "fr" && found.token === "t0k", "input struct", found);
  check((await c.form({ Name: "Zoë & co", Age: 30, Tags: ["a", "b"] })) === "name=Zoë & co age=30 tags=a,b", "form");

  // Raw and streamed bodies and results.
  const raw = await c.raw(new Uint8Array([1, 2, 255]));
  check(raw.join() === "255,2,1", "raw body", Array.from(raw));
  const chunks = new ReadableStream<Uint8Array>({
    start(ctl) {
      for (let i = 0; i < 3; i++) ctl.enqueue(new Uint8Array(100 << 10));
      ctl.close();
    },
  });
  check((await c.upload(chunks)) === String(300 << 10), "streamed upload");
  e = await apiError(c.upload(new Uint8Array(2 << 20)));
  check(e.status === 413, "413 over the route's limit", e.status);
  let n = 0;
  for await (const chunk of (await c.download(3 << 20)) as unknown as AsyncIterable<Uint8Array>) n += chunk.length;
  check(n === 3 << 20, "streamed download", n);

  // Retries honour Retry-After and stop after the given number.
  e = await apiError(c.items.flaky("ts-a", 1));
  check(e.status === 503 && e.headers.get("Retry-After") === "0", "503 without retries", e);
  const retrying = new Client(base, { bearerToken: token, retries: 3, backoffMs: 3600e3 });
  check((await retrying.items.flaky("ts-b", 3)) === "4", "retried three times");
  check((await apiError(retrying.items.flaky("ts-c", 4))).status === 503, "gives up after three retries");

  // An event stream the server ends after every two events resumes with Last-Event-ID.
  const ids: string[] = [];
  for await (const ev of c.items.ticks(2)) {
    const t: ServerSentEvent = ev;
    check(t.event === "tick" && t.retry === 1 && JSON.parse(t.data).n === Number(t.id), `event ${t.id}`, t);
    ids.push(t.id);
    if (ids.length === 5) break;
  }
  check(ids.join() === "1,2,3,4,5", "resumed across reconnections", ids);
  const ac = new AbortController();
  let m = 0;
  for await (const _ of c.items.ticks(1, { signal: ac.signal })) {
    if (++m === 3) ac.abort();
  }
  check(m === 3, "aborting ends the stream", m);
  e = await apiError((async () => {
    for await (const _ of new Client(base).items.ticks(1)) {
      /* nothing comes */
    }
  })());
  check(e.status === 401, "an event stream's 401", e);

  // A WebSocket route.
  const ws = await c.echo("the lobby", "ann");
  const hello = await ws.receiveJSON<{ room: string; name: string }>();
  check(hello?.room === "the lobby" && hello?.name === "ann", "websocket hello", hello);
  ws.send("hi");
  check((await ws.receiveText()) === "HI", "websocket text");
  ws.send(new TextEncoder().encode("bin"));
  const bin = await ws.receive();
  check(bin instanceof Uint8Array && new TextDecoder().decode(bin) === "BIN", "websocket binary", bin);
  ws.sendJSON("json");
  check((await ws.receiveText()) === '"JSON"', "websocket JSON");
  ws.send("bye");
  let closed: unknown;
  try {
    await ws.receive();
  } catch (err) {
    closed = err;
  }
  check(closed instanceof CloseError && closed.code === 4000 && closed.reason === "bye", "websocket close code", String(closed));
  const ws2 = await c.echo("r", "bob");
  await ws2.receive();
  ws2.close();
  check((await ws2.receive()) === null, "a normal close ends the messages");
  console.log("PASS");
}

main().catch((err) => {
  console.log(`FAIL ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
