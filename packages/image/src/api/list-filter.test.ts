import { describe, expect, it } from "vitest";
import { listFilter, splitInValues } from "./list-filter.js";
import { type ImageTestApp, imageTestApp } from "./testing.js";

describe("listFilter", () => {
  it("reads Glance's filters: exact attributes, in:, size bounds, tags, times, properties", () => {
    const filter = listFilter(
      {
        name: 'in:a,"b,c"',
        id: "in:1,2",
        disk_format: "qcow2",
        container_format: "bare",
        protected: "true",
        size_min: "10",
        size_max: "20",
        tag: ["x", " y "],
        created_at: "gte:2026-01-01T00:00:00Z",
        updated_at: "2026-02-01T00:00:00Z",
        os_distro: "debian",
        member_status: "pending",
        limit: "3",
      },
      false,
      "p1",
    );
    expect(filter).toEqual({
      osHidden: false,
      visibleTo: "p1",
      memberStatus: "pending",
      names: ["a", "b,c"],
      ids: ["1", "2"],
      diskFormat: "qcow2",
      containerFormat: "bare",
      protected: true,
      sizeMin: 10,
      sizeMax: 20,
      tags: ["x", "y"],
      createdAt: { op: "gte", at: "2026-01-01T00:00:00.000Z" },
      updatedAt: { op: "eq", at: "2026-02-01T00:00:00.000Z" },
      properties: { os_distro: "debian" },
    });
    expect(listFilter({ name: "plain" }, true, null)).toEqual({ osHidden: false, name: "plain" });
  });

  it.each([
    [{ protected: "yes" }, "Invalid value 'yes' for 'protected' filter"],
    [{ size_min: "-1" }, "size_min"],
    [{ size_min: "5", size_max: "4" }, "size_max is not allowed to be less than size_min"],
    [{ created_at: "soon:2026-01-01T00:00:00Z" }, "unknown operator"],
    [{ created_at: "gt:yesterday" }, "non-numeric value"],
    [{ member_status: "maybe" }, "Invalid status: maybe"],
    [{ name: 'in:"a' }, "The quote is not closed"],
    [{ status: "gone" }, "Invalid status value: gone"],
  ])("refuses %j with 400", (query, message) => {
    expect(() => listFilter(query, false, "p1")).toThrow(message);
  });

  it("splits in: values by commas outside quotes", () => {
    expect(splitInValues('a,"b,c",d')).toEqual(["a", "b,c", "d"]);
    expect(splitInValues('"say \\"hi\\""')).toEqual(['say "hi"']);
  });
});

describe("GET /v2/images with filters", () => {
  let t: ImageTestApp;
  it("narrows by disk_format, size bounds, tag, property and name in:, and answers a bad filter with 400", async () => {
    t = await imageTestApp();
    try {
      const make = async (name: string, disk_format: string, bytes: number, tags: string[], extra = {}) => {
        const { id } = (
          await t.call("POST", "/v2/images", { name, disk_format, container_format: "bare", tags, ...extra })
        ).body;
        await t.call("PUT", `/v2/images/${id}/file`, Buffer.alloc(bytes));
      };
      await make("one", "raw", 100, ["a"], { os_distro: "debian" });
      await make("two", "raw", 300, ["a", "b"]);
      await make("three", "iso", 0, ["b"]);
      const names = async (q: string) =>
        ((await t.call("GET", `/v2/images?${q}`)).body.images as Array<{ name: string }>).map((i) => i.name).sort();
      expect(await names("disk_format=raw")).toEqual(["one", "two"]);
      expect(await names("size_min=100&size_max=200")).toEqual(["one"]);
      expect(await names("size=300")).toEqual(["two"]);
      expect(await names("tag=a&tag=b")).toEqual(["two"]);
      expect(await names("os_distro=debian")).toEqual(["one"]);
      expect(await names("name=in:one,three")).toEqual(["one", "three"]);
      expect(await names("created_at=lt:2000-01-01T00:00:00Z")).toEqual([]);
      const bad = await t.call("GET", "/v2/images?size_max=abc");
      expect(bad.status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
