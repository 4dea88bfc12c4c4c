/**
 * Starts the service the way README says (`npm start`, i.e. scripts/start.sh → wrangler dev on
 * workerd) on a free port with its own persistence directory, for tests that need the real thing
 * over real HTTP: a browser, a restart with local persistence.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether nothing listens on `port` now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Waits (up to 15 s) for a port a killed service held: its shell exits before workerd, its
 * grandchild, has let go of the socket, and a restart on the same port would find it in use.
 */
async function untilFree(port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await isFree(port)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** start.sh writes missing secrets to .dev.vars; writing them first, atomically, avoids a race. */
function ensureDevVars(): void {
  const secret = () => randomBytes(32).toString("hex");
  try {
    writeFileSync(
      join(root, ".dev.vars"),
      `TOKEN_SECRET=${secret()}\nENCRYPTION_KEY=${secret()}\n`,
      { flag: "wx" },
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

export interface Service {
  origin: string;
  port: number;
  persistTo: string;
  /** Everything the service printed, for a failing test's message. */
  output: () => string;
  /** SIGKILL the whole process group: no graceful shutdown, as a crash would do. */
  kill: () => Promise<void>;
}

export interface StartOptions {
  /** Reuse a persistence directory (to restart the "same" service); a fresh one by default. */
  persistTo?: string;
  port?: number;
  /** Extra `--var NAME:VALUE` pairs for wrangler dev. */
  vars?: Record<string, string>;
}

export async function startService(options: StartOptions = {}): Promise<Service> {
  ensureDevVars();
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await untilFree(port);
  const persistTo = options.persistTo ?? mkdtempSync(join(tmpdir(), "edge-checkout-"));
  const args = [
    "scripts/start.sh",
    "--inspector-port",
    String(await freePort()),
    "--show-interactive-dev-session=false",
    ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  const child: ChildProcess = spawn("bash", args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), PERSIST_TO: persistTo, CI: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const origin = `http://127.0.0.1:${port}`;
  // Two Workers (the service and the sandbox PSP) in one workerd: slower to start on a busy machine.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited early:\n${output}`);
    if (Date.now() > deadline) {
      process.kill(-(child.pid ?? 0), "SIGKILL");
      throw new Error(`the service did not answer within 120 s:\n${output}`);
    }
    const ready = await fetch(`${origin}/v1/checkout-sessions`).then(
      (response) => response.status === 401,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    origin,
    port,
    persistTo,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      }
      await exited;
    },
  };
}
