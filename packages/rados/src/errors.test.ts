import { describe, expect, it } from "vitest";
import { check, isRadosError, RadosError } from "./errors.js";
import { featureMask, featureNames } from "./features.js";

describe("RadosError", () => {
  it.each([
    [-2, "ENOENT", 2],
    [-17, "EEXIST", 17],
    [-16, "EBUSY", 16],
    [-39, "ENOTEMPTY", 39],
    [-33, "EDOM", 33],
    [-11, "EAGAIN", 11],
    [-4242, "E4242", 4242],
  ])("check() turns the return value %d into a RadosError with code %s", (ret, code, errno) => {
    let thrown: unknown;
    try {
      check("rbd_open", ret, "disk");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RadosError);
    expect(thrown).toMatchObject({ code, errno, op: "rbd_open" });
    expect(isRadosError(thrown, code)).toBe(true);
    expect((thrown as Error).message).toContain(`rbd_open (disk): ${code}`);
  });

  it("check() passes zero and positive results through, bigint included", () => {
    expect(check("rbd_read", 0)).toBe(0);
    expect(check("rbd_read", 4096n)).toBe(4096);
  });
});

describe("features", () => {
  it("maps names to bits and back, and rejects an unknown name", () => {
    const mask = featureMask(["layering", "exclusive-lock", "object-map", "fast-diff", "deep-flatten"]);
    expect(mask).toBe(61n);
    expect(featureNames(mask)).toEqual(["layering", "exclusive-lock", "object-map", "fast-diff", "deep-flatten"]);
    expect(() => featureMask(["layering", "nope" as "layering"])).toThrow(RangeError);
  });
});
