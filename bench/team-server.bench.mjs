// The team server under load, on loopback: 100 simulated annotators (each a session of its own) label for 60 s,
// against one instance and then two instances on one database, on PostgreSQL (this machine's, a database of the
// bench's own) and on the embedded PGlite (one instance: it is one process's database). Reported: submissions
// a second, submit latency p50/p99, and, counted in the database afterwards, labels lost (acknowledged but not
// stored), duplicated (stored twice for one annotator and pair) and items over their overlap.
// BENCH_TEAM_SECONDS and BENCH_TEAM_ANNOTATORS change the size.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { annotate, annotators, publish, percentile, signIn, startServer, uniquePairs } from './team-load.mjs';

export const name = 'team server (hyper serve), loopback';
const SECONDS = Number(process.env.BENCH_TEAM_SECONDS ?? 60);
const ANNOTATORS = Number(process.env.BENCH_TEAM_ANNOTATORS ?? 100);
const OVERLAP = 3;
const PG = 'postgres://postgres@127.0.0.1:5432';

const COUNT_SQL = `select
    (select count(*)::int from assignments where plan_id = $1 and submitted_at is not null) as stored,
    (select count(*)::int from (select idx from assignments where plan_id = $1 and submitted_at is not null
       group by idx having count(*) > $2) x) as over,
    (select count(*)::int from (select annotator_id, idx from assignments where plan_id = $1
       group by annotator_id, idx having count(*) > 1) y) as twice`;

async function scenario(label, servers, query) {
  const bases = servers.map((s) => s.base);
  // The newest instance's one-time lead link (an earlier scenario used the first one's); the session holds on all.
  const lead = await signIn(bases[0], servers[servers.length - 1].link);
  // More items than 100 annotators can label in the time: the queue never runs dry.
  const items = 30_000;
  const { datasetId, planId } = await publish(bases[0], lead, { pairs: uniquePairs(items, 101), items, overlap: OVERLAP, name: label });
  const team = await annotators(bases[0], lead, datasetId, ANNOTATORS);
  const started = Date.now();
  const results = await Promise.all(
    team.map((who, i) =>
      annotate({ bases: bases.length > 1 ? [bases[i % bases.length], ...bases] : bases, who, planId, until: started + SECONDS * 1000 }),
    ),
  );
  const wall = (Date.now() - started) / 1000;
  const acked = results.flatMap((r) => r.acked);
  const latencies = results.flatMap((r) => r.latencies);
  const counts = await query(planId);
  const lost = acked.length - Math.min(acked.length, counts.stored);
  const rows = [
    {
      metric: `${label}: submissions/s (${ANNOTATORS} annotators, ${SECONDS} s, ${new Set(acked.map((a) => a.idx)).size} unique pairs labelled)`,
      value: (acked.length / wall).toFixed(0),
      target: '',
    },
    {
      metric: `${label}: submit latency p50 / p99`,
      value: `${percentile(latencies, 50)?.toFixed(1)} / ${percentile(latencies, 99)?.toFixed(1)} ms`,
      target: '',
    },
    {
      metric: `${label}: lost / duplicated / over-assigned (in the database)`,
      value: `${lost} / ${counts.twice} / ${counts.over} (stored ${counts.stored}, acknowledged ${acked.length})`,
      target: '0 / 0 / 0',
      ok: lost === 0 && counts.twice === 0 && counts.over === 0 && counts.stored === acked.length,
    },
  ];
  return rows.map((r) => ({ benchmark: name, ...r }));
}

export async function run() {
  const rows = [];
  // PostgreSQL: a database of the bench's own, one and then two instances on it.
  const admin = new pg.Client({ connectionString: `${PG}/postgres`, connectionTimeoutMillis: 2000 });
  let havePg = true;
  try {
    await admin.connect();
  } catch {
    havePg = false;
    rows.push({ benchmark: name, metric: 'PostgreSQL rows', value: `skipped: ${PG} is not reachable`, target: '' });
  }
  if (havePg) {
    const db = `hyper_bench_${process.pid}`;
    await admin.query(`create database ${db}`);
    const url = `${PG}/${db}`;
    const count = async (planId) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(COUNT_SQL, [planId, OVERLAP])).rows[0];
      } finally {
        await c.end();
      }
    };
    try {
      const one = await startServer({ database: url });
      try {
        rows.push(...(await scenario('PostgreSQL, 1 instance', [one], count)));
        const two = await startServer({ database: url });
        try {
          rows.push(...(await scenario('PostgreSQL, 2 instances', [one, two], count)));
        } finally {
          await two.stop();
        }
      } finally {
        await one.stop();
      }
    } finally {
      await admin.query(`drop database ${db} with (force)`);
      await admin.end();
    }
  }
  // PGlite: counted from its data folder once the server has stopped (it is that process's database).
  const lite = await startServer();
  try {
    rows.push(
      ...(await scenario('PGlite, 1 instance', [lite], async (planId) => {
        await lite.stop();
        const db = await PGlite.create(lite.dataDir);
        try {
          return (await db.query(COUNT_SQL, [planId, OVERLAP])).rows[0];
        } finally {
          await db.close();
        }
      })),
    );
  } finally {
    await lite.stop();
  }
  return rows;
}
