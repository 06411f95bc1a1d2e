import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StratusError } from "@stratus/core";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function errorOf(fn: () => unknown): StratusError {
  try {
    fn();
  } catch (err) {
    if (StratusError.is(err)) return err;
    throw err;
  }
  throw new Error("expected an error");
}

describe("loadServerConfig", () => {
  it("gives every service its OpenStack port on loopback when nothing is configured", () => {
    const config = loadServerConfig();
    expect(config.bindHost).toBe("127.0.0.1");
    expect(Object.fromEntries(Object.entries(config.services).map(([k, v]) => [k, v.port]))).toEqual({
      identity: 5000,
      compute: 8774,
      network: 9696,
      block: 8776,
      image: 9292,
      orchestration: 8004,
      placement: 8778,
    });
  });

  it.each([
    [
      "a YAML file sets a port and disables a service",
      "a.yaml",
      "services:\n  compute: { port: 18774 }\n  image: { enabled: false, port: 9292 }\n",
    ],
    [
      "a JSON file does the same",
      "a.json",
      '{"services":{"compute":{"port":18774},"image":{"enabled":false,"port":9292}}}',
    ],
  ])("%s", (_name, fileName, text) => {
    const config = loadServerConfig({ file: file(fileName, text) });
    expect(config.services.compute).toEqual({ enabled: true, port: 18774 });
    expect(config.services.image.enabled).toBe(false);
    expect(config.services.identity.port).toBe(5000);
  });

  it("lets the environment override the file and flags override both", () => {
    const path = file("b.yaml", "bindHost: 127.0.0.2\nlogLevel: debug\n");
    const config = loadServerConfig({
      file: path,
      env: { STRATUS_BIND_HOST: "127.0.0.3", STRATUS_IDENTITY_PORT: "15000" },
      overrides: { bindHost: "127.0.0.4" },
    });
    expect(config.bindHost).toBe("127.0.0.4");
    expect(config.logLevel).toBe("debug");
    expect(config.services.identity.port).toBe(15000);
  });

  it("reads the image service's settings from the environment, with Glance's defaults", () => {
    const defaults = loadServerConfig({ env: {} }).image;
    expect(defaults).toMatchObject({ requireFormatMatch: true, quotaMembers: 128, quotaTags: 128 });
    expect(defaults.quotaImages).toBeUndefined();
    const image = loadServerConfig({
      env: {
        STRATUS_IMAGE_QUOTA_IMAGES: "5",
        STRATUS_IMAGE_QUOTA_BYTES: "1048576",
        STRATUS_IMAGE_QUOTA_TAGS: "3",
        STRATUS_IMAGE_REQUIRE_FORMAT_MATCH: "false",
        STRATUS_IMAGE_IMPORT_TRUSTED_HOSTS: "127.0.0.1, mirror.local",
      },
    }).image;
    expect(image).toMatchObject({
      quotaImages: 5,
      quotaBytes: 1048576,
      quotaTags: 3,
      requireFormatMatch: false,
      importTrustedHosts: ["127.0.0.1", "mirror.local"],
    });
  });

  it.each([
    ["a negative image quota is named", { env: { STRATUS_IMAGE_QUOTA_IMAGES: "-1" } }, "image.quotaImages"],
    ["an unknown key is named", { overrides: { bogus: 1 } }, 'Unrecognized key: "bogus"'],
    ["a port out of range is named with its path", { env: { STRATUS_COMPUTE_PORT: "70000" } }, "services.compute.port"],
    ["a port that is not a number is named", { env: { STRATUS_NETWORK_PORT: "ninety" } }, "services.network.port"],
    ["a missing file is named", { file: join(dir, "missing.yaml") }, "missing.yaml"],
    ["a file that is not YAML is named", { file: file("bad.yaml", "services: [unclosed") }, "not valid YAML"],
    ["a file holding a list is refused", { file: file("list.yaml", "- a\n- b\n") }, "mapping"],
  ])("refuses a bad configuration: %s", (_name, sources, fragment) => {
    const err = errorOf(() => loadServerConfig(sources));
    expect(err.code).toBe("bad_request");
    expect(err.message).toContain(fragment);
  });
});
