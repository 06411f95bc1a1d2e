import { describe, expect, it } from "vitest";
import { FramingError, JsonStreamSplitter } from "./framing.js";

function feed(parts: (string | Buffer)[]): unknown[] {
  const s = new JsonStreamSplitter();
  return parts.flatMap((p) => s.push(typeof p === "string" ? Buffer.from(p) : p));
}

describe("JsonStreamSplitter", () => {
  it.each([
    ["one object in one chunk is one message", ['{"id":1}'], [{ id: 1 }]],
    ["two objects back to back with no separator are two messages", ['{"a":1}{"b":2}'], [{ a: 1 }, { b: 2 }]],
    ["whitespace and newlines between messages are skipped", [' {"a":1}\n\t {"b":2}\r\n'], [{ a: 1 }, { b: 2 }]],
    ["an object split across three chunks is put back together", ['{"a"', ":[1,2", ",3]}"], [{ a: [1, 2, 3] }]],
    ["braces inside strings do not count", ['{"s":"}{]["}'], [{ s: "}{][" }]],
    ["an escaped quote does not end a string", ['{"s":"a\\"}"}'], [{ s: 'a"}' }]],
    ["an escaped backslash before the closing quote ends the string", ['{"s":"a\\\\"}'], [{ s: "a\\" }]],
    ["an escape split across chunks is still an escape", ['{"s":"a\\', '"}"}'], [{ s: 'a"}' }]],
    ["a top-level array is a message too", ["[1,[2]]"], [[1, [2]]]],
  ])("%s", (_name, parts, expected) => {
    expect(feed(parts)).toEqual(expected);
  });

  it("puts multi-byte UTF-8 characters split across chunks back together", () => {
    const bytes = Buffer.from('{"name":"réseau-日本"}');
    const cut = bytes.indexOf(0xe6) + 1; // inside the 3-byte 日
    expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ name: "réseau-日本" }]);
  });

  it("feeds a message one byte at a time", () => {
    const text = '{"method":"update2","params":["m",{"T":{"u":{"modify":{"c":["set",["x"]]}}}}],"id":null}';
    const s = new JsonStreamSplitter();
    const out: unknown[] = [];
    for (const b of Buffer.from(text)) out.push(...s.push(Buffer.from([b])));
    expect(out).toEqual([JSON.parse(text)]);
  });

  it("does not keep a reference to the caller's chunk", () => {
    const s = new JsonStreamSplitter();
    const chunk = Buffer.from('{"a":"xy');
    s.push(chunk);
    chunk.fill(0x20);
    expect(s.push(Buffer.from('z"}'))).toEqual([{ a: "xyz" }]);
  });

  it.each([
    ["garbage between messages", ["x{}"], /unexpected byte/],
    ["a message that is not valid JSON once closed", ["{a:1}"], /invalid JSON/],
  ])("refuses %s", (_n, parts, re) => {
    expect(() => feed(parts)).toThrow(re);
    expect(() => feed(parts)).toThrow(FramingError);
  });

  it("refuses a message larger than the limit before it ends", () => {
    const s = new JsonStreamSplitter({ maxMessageBytes: 16 });
    s.push(Buffer.from('{"a":"0123'));
    expect(() => s.push(Buffer.from("456789abcdef"))).toThrow(/larger than 16 bytes/);
  });
});
