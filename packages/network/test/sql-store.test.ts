/**
 * SqlNeutronStore on real PostgreSQL and MariaDB (scratch databases): the NeutronStore contract,
 * and an address taken by one store refused to a second store on the same database.
 */
import { type Database, openDatabase } from "@stratus/core/db";
import { MARIADB, POSTGRES, withScratchDatabase } from "@stratus/core/testing";
import { afterEach, expect, it } from "vitest";
import { runNeutronStoreContract } from "../src/store/contract.js";
import { SqlNeutronStore } from "../src/store/sql-store.js";

for (const server of [POSTGRES, MARIADB]) {
  await withScratchDatabase(server, (scratch) => {
    const open: SqlNeutronStore[] = [];
    const connect = (): Promise<Database<unknown>> =>
      openDatabase(
        server.engine === "postgres"
          ? { engine: "postgres", url: scratch().url }
          : { engine: "mysql", url: scratch().url },
      );
    const emptied = async () => {
      const db = await connect();
      await db.migrate("network", (await import("../src/store/sql-store.js")).NETWORK_MIGRATIONS);
      const k = db.kysely as unknown as Database<Record<string, object>>["kysely"];
      for (const t of ["neutron_records", "neutron_ip_allocations", "neutron_segments", "neutron_quotas"])
        await k.deleteFrom(t).execute();
      const store = await SqlNeutronStore.open(db);
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });
    runNeutronStoreContract(server.engine, emptied);

    it(`${server.engine}: an address held through one store is refused through another on the same database`, async () => {
      const a = await emptied();
      const b = await SqlNeutronStore.open(await connect());
      open.push(b);
      expect(await a.allocateIp({ subnet_id: "s", ip_address: "10.0.0.9", port_id: "p1" })).toBe(true);
      expect(await b.allocateIp({ subnet_id: "s", ip_address: "10.0.0.9", port_id: "p2" })).toBe(false);
    });
  });
}
