import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import pg from "pg";

/** A throwaway database on a real server, for one integration test run. */
export interface ScratchDatabase {
  /** The database's name, `stratus_t_<random>`. */
  readonly name: string;
  /** A URL of the same server pointing at the scratch database. */
  readonly url: string;
  /** Drops the database, closing other sessions on it first (PostgreSQL); idempotent. */
  drop(): Promise<void>;
}

const withDatabase = (url: string, name: string): string => {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
};

async function onPostgres<T>(
  adminUrl: string,
  connectTimeoutMs: number,
  work: (c: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: connectTimeoutMs });
  client.on("error", () => {}); // a lost connection is reported by the failing query instead
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function onMysql<T>(
  adminUrl: string,
  connectTimeoutMs: number,
  work: (c: mysql.Connection) => Promise<T>,
): Promise<T> {
  const url = new URL(adminUrl);
  const client = await mysql.createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    connectTimeout: connectTimeoutMs,
  });
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Connects to the server behind `adminUrl` and returns undefined, or the driver's error
 * (e.g. ECONNREFUSED) when it cannot be reached within `connectTimeoutMs`.
 */
export async function probeServer(
  engine: "postgres" | "mysql",
  adminUrl: string,
  connectTimeoutMs = 3_000,
): Promise<Error | undefined> {
  try {
    if (engine === "postgres") await onPostgres(adminUrl, connectTimeoutMs, (c) => c.query("select 1"));
    else await onMysql(adminUrl, connectTimeoutMs, (c) => c.query("select 1"));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Creates a fresh, empty database `stratus_t_<random>` on the server behind `adminUrl` (a user
 * allowed to create databases) so concurrent runs never collide. Throws the driver's error.
 */
export async function createScratchDatabase(engine: "postgres" | "mysql", adminUrl: string): Promise<ScratchDatabase> {
  const name = `stratus_t_${randomBytes(6).toString("hex")}`;
  if (engine === "postgres") {
    await onPostgres(adminUrl, 5_000, (c) => c.query(`create database "${name}"`));
  } else {
    await onMysql(adminUrl, 5_000, (c) =>
      c.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_bin`),
    );
  }
  let dropped: Promise<void> | undefined;
  const drop = async () => {
    if (engine === "postgres")
      await onPostgres(adminUrl, 5_000, (c) => c.query(`drop database if exists "${name}" with (force)`));
    else await onMysql(adminUrl, 5_000, (c) => c.query(`drop database if exists \`${name}\``));
  };
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => {
      dropped ??= drop();
      return dropped;
    },
  };
}
