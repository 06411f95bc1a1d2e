import { describe, expect, it } from "vitest";
import { Replica, type Row, type RowChange, type RowCodec } from "./replica.js";
import type { WireRow } from "./wire.js";

// Columns pass through as they are on the wire; `modify` replaces. The mapper has its own tests.
const passThrough: RowCodec = {
  decode: (_t, uuid, { _version, ...wire }) =>
    ({ ...wire, _uuid: uuid, ...(Array.isArray(_version) && { _version: _version[1] }) }) as Row,
  modify: (_t, row, diff) => ({ ...row, ...diff }) as Row,
};
const ls = (name: string, extra: WireRow = {}) => ({ name, ...extra });

describe("Replica", () => {
  it("applies initial rows, then insert, modify and delete, reporting each change", () => {
    const r = new Replica(passThrough);
    const batches: RowChange[][] = [];
    r.onChange((c) => batches.push([...c]));
    r.applyUpdate2({ LS: { a: { initial: ls("one") }, b: { initial: ls("two") } } });
    r.applyUpdate2(
      { LS: { c: { insert: ls("three") }, a: { modify: { name: "uno" } }, b: { delete: null } } },
      "txn-2",
    );
    expect([...r.table("LS").values()].map((x) => x.name).sort()).toEqual(["three", "uno"]);
    expect(batches.map((b) => b.map((c) => `${c.kind}:${c.uuid}`))).toEqual([
      ["insert:a", "insert:b"],
      ["insert:c", "update:a", "delete:b"],
    ]);
    expect(batches[1]?.[1]?.old?.name).toBe("one");
    expect(r.lastTxnId).toBe("txn-2");
  });

  it("keeps indexes exact through renames and deletes", () => {
    const r = new Replica(passThrough);
    const t = r.table("LS");
    t.addIndex("name");
    r.applyUpdate2({ LS: { a: { insert: ls("x") }, b: { insert: ls("x") } } });
    expect(
      t
        .lookup("name", "x")
        .map((x) => x._uuid)
        .sort(),
    ).toEqual(["a", "b"]);
    r.applyUpdate2({ LS: { a: { modify: { name: "y" } } } });
    expect(t.lookup("name", "x").map((x) => x._uuid)).toEqual(["b"]);
    expect(t.lookupOne("name", "y")?._uuid).toBe("a");
    r.applyUpdate2({ LS: { b: { delete: null } } });
    expect(t.lookup("name", "x")).toEqual([]);
  });

  it("builds an index on first lookup from rows already there, on composite and non-string keys", () => {
    const r = new Replica(passThrough);
    r.applyUpdate2({
      NAT: {
        n1: { insert: { type: "snat", ip: "1.1.1.1", prio: 5 } },
        n2: { insert: { type: "dnat", ip: "1.1.1.1", prio: 5 } },
      },
    });
    const t = r.table("NAT");
    expect(t.lookup(["type", "ip"], "snat", "1.1.1.1").map((x) => x._uuid)).toEqual(["n1"]);
    expect(t.lookup("prio", 5)).toHaveLength(2);
    expect(t.lookup("prio", "5")).toHaveLength(0);
  });

  it("resync replaces the content and reports only real differences", () => {
    const r = new Replica(passThrough);
    r.applyUpdate2({ LS: { a: { initial: ls("one", { _version: ["uuid", "v1"] }) }, b: { initial: ls("two") } } });
    const changes = r.resync({
      LS: { a: { initial: ls("one", { _version: ["uuid", "v1"] }) }, c: { initial: ls("three") } },
    });
    expect(changes.map((c) => `${c.kind}:${c.uuid}`).sort()).toEqual(["delete:b", "insert:c"]);
    expect(r.table("LS").size).toBe(2);
  });

  it("monitor v1 updates: new without old inserts, both modifies, old only deletes", () => {
    const r = new Replica(passThrough);
    r.applyUpdate({ LS: { a: { new: ls("one") } } });
    r.applyUpdate({ LS: { a: { old: ls("one"), new: ls("uno") }, b: { new: ls("two") } } });
    r.applyUpdate({ LS: { b: { old: ls("two") } } });
    expect([...r.table("LS").values()].map((x) => x.name)).toEqual(["uno"]);
  });

  it("ignores a modify for a row it never saw instead of inventing one", () => {
    const r = new Replica(passThrough);
    expect(r.applyUpdate2({ LS: { ghost: { modify: { name: "x" } } } })).toEqual([]);
    expect(r.table("LS").size).toBe(0);
  });

  it("purge empties every table and reports deletes", () => {
    const r = new Replica(passThrough);
    r.applyUpdate2({ A: { a: { insert: ls("1") } }, B: { b: { insert: ls("2") } } });
    const seen: string[] = [];
    r.onChange((c) => seen.push(...c.map((x) => `${x.kind}:${x.table}`)));
    r.purge();
    expect(seen.sort()).toEqual(["delete:A", "delete:B"]);
    expect(r.table("A").size + r.table("B").size).toBe(0);
  });
});

describe("computed indexes", () => {
  it("index one map entry and every member of a set, kept exact through changes", () => {
    const r = new Replica(passThrough);
    const t = r.table("T");
    t.defineIndex("subnet", { keys: (row) => [(row.ids as Record<string, string>).subnet_id].filter(Boolean) });
    t.defineIndex("member", { keys: (row) => row.ports as string[] });
    r.applyUpdate2({
      T: {
        a: { insert: { ids: { subnet_id: "s1" }, ports: ["p1", "p2"] } },
        b: { insert: { ids: {}, ports: ["p2"] } },
      },
    });
    expect(t.lookup("subnet", "s1").map((x) => x._uuid)).toEqual(["a"]);
    expect(
      t
        .lookup("member", "p2")
        .map((x) => x._uuid)
        .sort(),
    ).toEqual(["a", "b"]);
    r.applyUpdate2({ T: { a: { modify: { ids: { subnet_id: "s2" }, ports: ["p3"] } } } });
    expect(t.lookup("subnet", "s1")).toEqual([]);
    expect(t.lookup("subnet", "s2").map((x) => x._uuid)).toEqual(["a"]);
    expect(t.lookup("member", "p2").map((x) => x._uuid)).toEqual(["b"]);
    expect(t.lookup("member", "p3").map((x) => x._uuid)).toEqual(["a"]);
  });
});
