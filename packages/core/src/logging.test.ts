import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logging.js";

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join("")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
  };
}

describe("logging", () => {
  it("writes JSON lines with the component name and a child's request id", () => {
    const out = capture();
    const log = createLogger({ name: "identity", level: "info" }, out.stream);
    log.child({ requestId: "req-1" }).info("token issued");
    const [line] = out.lines();
    expect(line).toMatchObject({ name: "identity", requestId: "req-1", msg: "token issued" });
  });

  it("redacts passwords and auth headers", () => {
    const out = capture();
    const log = createLogger({ level: "info" }, out.stream);
    log.info({ user: { password: "s3cret" }, req: { headers: { "x-auth-token": "gAAAA" } } }, "login");
    const text = JSON.stringify(out.lines());
    expect(text).not.toContain("s3cret");
    expect(text).not.toContain("gAAAA");
  });

  it("rejects an unknown level when the config is validated", () => {
    expect(() => createLogger({ level: "loud" as never })).toThrow();
  });
});
