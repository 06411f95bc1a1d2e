import { describe, expect, it } from "vitest";
import { EndpointError, formatEndpoint, parseEndpoint, parseEndpoints } from "./transport.js";

describe("parseEndpoint", () => {
  it.each([
    ["tcp:127.0.0.1:6641", { kind: "tcp", host: "127.0.0.1", port: 6641 }],
    ["tcp:[::1]:6641", { kind: "tcp", host: "::1", port: 6641 }],
    ["ssl:ovn-nb.example:6641", { kind: "ssl", host: "ovn-nb.example", port: 6641 }],
    ["unix:/run/ovn/ovnnb_db.sock", { kind: "unix", path: "/run/ovn/ovnnb_db.sock" }],
  ])("reads %s", (text, expected) => {
    expect(parseEndpoint(text)).toEqual(expected);
    expect(formatEndpoint(parseEndpoint(text))).toBe(text);
  });

  it.each([
    ["an unknown scheme", "http:1.2.3.4:80"],
    ["a tcp endpoint without a port", "tcp:127.0.0.1"],
    ["a port above 65535", "tcp:127.0.0.1:70000"],
    ["an unbracketed IPv6 address", "tcp:::1:6641"],
    ["a unix endpoint without a path", "unix:"],
    ["a bare host", "127.0.0.1:6641"],
  ])("refuses %s, naming it", (_n, text) => {
    expect(() => parseEndpoint(text)).toThrow(EndpointError);
    expect(() => parseEndpoint(text)).toThrow(text);
  });

  it("reads a cluster's comma-separated remotes in order", () => {
    expect(parseEndpoints("tcp:10.0.0.1:6641, tcp:10.0.0.2:6641,unix:/x").map(formatEndpoint)).toEqual([
      "tcp:10.0.0.1:6641",
      "tcp:10.0.0.2:6641",
      "unix:/x",
    ]);
    expect(() => parseEndpoints(" , ")).toThrow(/no OVSDB remote/);
  });
});
