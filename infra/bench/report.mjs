// Turns a run's results into Markdown tables (formatted by prettier, so that docs/benchmarks.md
// can carry them unchanged) and an SVG chart (written by hand: no charting dependency).

const PROCESS_COLUMNS = [
  ['gateway', 'gateway'],
  ['payments', 'payments'],
  ['customers', 'customers'],
  ['webhook-dispatcher', 'dispatcher'],
  ['kafka', 'Kafka'],
  ['postgres', 'Postgres'],
  ['bench', 'bench'],
  ['helpers', 'B0/B1'],
];

const dash = '—';

export function formatMs(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return dash;
  return value < 100 ? value.toFixed(1) : String(Math.round(value));
}

export function formatRps(value) {
  if (value === null || value === undefined) return dash;
  return value < 100 ? value.toFixed(1) : String(Math.round(value));
}

function formatRatio(value) {
  if (value === null || value === undefined) return dash;
  return value < 0.1 ? value.toFixed(3) : value.toFixed(2);
}

const table = (header, align, rows) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** The B0/B1 helper processes' CPU, summed into one column. */
const helpersOf = (values = {}) => {
  const keys = ['b0-server', 'b1-requester', 'b1-responder'].filter((k) => k in values);
  return keys.length ? keys.reduce((sum, k) => sum + (values[k] ?? 0), 0) : undefined;
};

function resourceCells(resources, field) {
  const values = { ...(resources?.[field] ?? {}) };
  values.helpers = helpersOf(values);
  return PROCESS_COLUMNS.map(([key]) =>
    values[key] === undefined || values[key] === null ? dash : String(Math.round(values[key])),
  );
}

/** Says so when other programs took a noticeable share of the machine during the run. */
function otherLoadNote(results) {
  const runs = [
    results.idle,
    ...Object.values(results.baselines).flatMap((rows) => rows.map((row) => row.resources)),
    ...results.scenarios.map((row) => row.resources),
  ].filter((r) => r && r.other_cpu_pct !== null);
  if (runs.length === 0) return '';
  const mean = runs.reduce((sum, r) => sum + r.other_cpu_pct, 0) / runs.length;
  if (mean < 15) return '';
  return (
    ` Other programs used ${Math.round(mean)} % of one core on average meanwhile (\`other\` ` +
    'in the CPU table): these figures are lower than the machine gives the platform alone.'
  );
}

// The columns that end every load table: latency percentiles, then the errors.
const LATENCY_HEADERS = ['p50 ms', 'p95 ms', 'p99 ms', 'p99.9 ms', 'errors'];
const latencyCells = (row) => [
  formatMs(row.p50_ms),
  formatMs(row.p95_ms),
  formatMs(row.p99_ms),
  formatMs(row.p99_9_ms),
  String(row.errors),
];

export function renderMarkdown(results) {
  const { machine, settings } = results;
  const out = [];
  out.push(
    `Measured ${results.date.slice(0, 10)} with \`npm run bench\`` +
      (machine.commit ? ` at \`${machine.commit}\`` : '') +
      `: ${settings.duration_s} s per scenario after a ${settings.warm_up_s} s warm-up, ` +
      `\`LOG_LEVEL=${settings.log_level}\`; ${machine.cores} × ${machine.cpu_model}, ` +
      `${machine.memory_gib} GiB, Node.js ${machine.node}, Kafka ${machine.kafka}, ` +
      `PostgreSQL ${machine.postgres ?? '?'}. The broker, Postgres, the four services and the ` +
      `load generator share these cores.` +
      otherLoadNote(results),
  );

  const b0 = results.baselines.b0 ?? [];
  const closed = results.scenarios.filter((s) => s.model === 'closed');
  if (b0.length || closed.length) {
    out.push(
      '**HTTP, closed model** (autocannon: each connection sends its next request when the ' +
        'previous one is answered). `× B0`: req/s divided by B0’s at the same connections. ' +
        '`errors`: non-2xx answers and failed requests; the target is 0.',
    );
    const rows = [...b0, ...closed].map((row) =>
      row.skipped
        ? [
            row.name,
            `\`${row.route}\``,
            String(row.connections),
            ...Array(6).fill(dash),
            'setup failed',
          ]
        : [
            row.name,
            row.name === 'b0' ? '`POST /b0`: Fastify + pg, one `INSERT`' : `\`${row.route}\``,
            String(row.connections),
            formatRps(row.rps),
            row.name === 'b0' ? dash : formatRatio(row.ratio_to_b0),
            ...latencyCells(row),
          ],
    );
    out.push(
      table(
        ['scenario', 'route', 'conns', 'req/s', '× B0', ...LATENCY_HEADERS],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows,
      ),
    );
  }

  const open = results.scenarios.filter((s) => s.model === 'open');
  if (open.length) {
    out.push(
      `**HTTP, open model**: requests scheduled at a fixed rate (${open[0].rate_basis}) ` +
        `for ${open[0].seconds} s; each latency runs from the ` +
        `request's scheduled start, so stalls are not hidden. Target: 0 errors.`,
    );
    out.push(
      table(
        ['scenario', 'route', 'target req/s', 'req/s', ...LATENCY_HEADERS],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        open.map((row) => [
          row.name,
          `\`${row.route}\``,
          formatRps(row.target_rps),
          formatRps(row.rps),
          ...latencyCells(row),
        ]),
      ),
    );
  }

  if (results.lags) {
    const l = results.lags;
    out.push(
      '**Lags during the open-model run**: from an event’s commit (its `created_at`) to each ' +
        'reader. `missing`: expected but not seen within the drain time.',
    );
    out.push(
      table(
        ['from commit to', 'p50 ms', 'p99 ms', 'samples', 'missing'],
        ['l', 'r', 'r', 'r', 'r'],
        [
          [
            'the record on `payments.payment.events`',
            formatMs(l.publish_p50_ms),
            formatMs(l.publish_p99_ms),
            String(l.publish_samples),
            String(l.publish_missing ?? dash),
          ],
          [
            'the `payment.succeeded` webhook received',
            formatMs(l.webhook_p50_ms),
            formatMs(l.webhook_p99_ms),
            String(l.webhook_samples),
            String(l.webhook_missing ?? dash),
          ],
          [
            `the daily summary’s checkpoint (sampled every ${l.projection_interval_ms} ms)`,
            formatMs(l.projection_p50_ms),
            formatMs(l.projection_p99_ms),
            String(l.projection_samples),
            String(l.projection_missing ?? dash),
          ],
        ],
      ),
    );
  }

  const b1 = results.baselines.b1 ?? [];
  if (b1.length) {
    out.push(
      '**B1, kafkajs request/reply** between two processes on two scratch topics (6 request ' +
        'and 8 reply partitions). `single`: one message per produce, a commit per message ' +
        '(NestJS’s stock ClientKafka/ServerKafka); `batched`: one `sendBatch` per event-loop ' +
        'turn, `eachBatch` consumers, offsets committed every second.',
    );
    out.push(
      table(
        ['variant', 'in flight', 'round trips/s', ...LATENCY_HEADERS],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        b1.map((row) => [
          row.name,
          String(row.in_flight),
          formatRps(row.rps),
          ...latencyCells(row),
        ]),
      ),
    );
  }

  if (results.log_levels?.length) {
    const c = results.log_levels[0].connections;
    out.push(
      `**What the log level costs**: the services restarted at each \`LOG_LEVEL\` on the same ` +
        `build and database; the idle services’ CPU, then \`POST /v2/payments\` at ${c} ` +
        'connections and the services’ CPU per payment (ms).',
    );
    const ms = (v) => (v === null || v === undefined ? dash : v.toFixed(1));
    out.push(
      table(
        ['LOG_LEVEL', 'idle services %', 'req/s', 'ms/payment', 'above idle', 'whole stack'],
        ['l', 'r', 'r', 'r', 'r', 'r'],
        results.log_levels.map((row) => [
          `\`${row.log_level}\``,
          row.idle_services_cpu_pct === null ? dash : String(Math.round(row.idle_services_cpu_pct)),
          formatRps(row.rps),
          ms(row.cpu_ms_per_request?.services),
          ms(row.cpu_ms_per_request?.services_above_idle),
          ms(row.cpu_ms_per_request?.stack),
        ]),
      ),
    );
  }

  const measured = [
    ...(results.idle ? [{ label: `idle stack (${results.idle.seconds} s)`, r: results.idle }] : []),
    ...b0.map((row) => ({ label: `b0 @ ${row.connections}`, r: row.resources })),
    ...b1.map((row) => ({ label: `${row.name} @ ${row.in_flight}`, r: row.resources })),
    ...results.scenarios.map((row) => ({
      label:
        row.model === 'open'
          ? `${row.name} @ ${formatRps(row.target_rps)}/s`
          : `${row.name} @ ${row.connections}`,
      r: row.resources,
      perRequest: row.cpu_ms_per_request,
    })),
  ].filter((m) => m.r);
  if (measured.length) {
    out.push(
      '**CPU, % of one core** (utime + stime from /proc; 100 % = one core busy). Postgres: the ' +
        'server’s processes and this run’s connections. `other`: the rest of the machine. ' +
        '`ms/req`: CPU of the four services per request' +
        (results.idle ? ', above their idle CPU.' : '.'),
    );
    out.push(
      table(
        ['run', ...PROCESS_COLUMNS.map(([, label]) => label), 'other', 'ms/req'],
        ['l', ...PROCESS_COLUMNS.map(() => 'r'), 'r', 'r'],
        measured.map((m) => [
          m.label,
          ...resourceCells(m.r, 'cpu_pct'),
          m.r.other_cpu_pct === null ? dash : String(Math.round(m.r.other_cpu_pct)),
          m.perRequest
            ? (m.perRequest.services_above_idle ?? m.perRequest.services).toFixed(1)
            : dash,
        ]),
      ),
    );
    out.push(
      '**Memory, MB**: the largest resident set during each run (Postgres: the sum of its ' +
        'processes’ proportional sets, so shared buffers count once).',
    );
    out.push(
      table(
        ['run', ...PROCESS_COLUMNS.map(([, label]) => label)],
        ['l', ...PROCESS_COLUMNS.map(() => 'r')],
        measured.map((m) => [m.label, ...resourceCells(m.r, 'rss_mb')]),
      ),
    );
  }
  return `${out.join('\n\n')}\n`;
}

/** Formats Markdown as `npm run format` would, so the published copy passes format:check. */
export async function prettierMarkdown(text, filepath) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(text, { ...options, filepath, parser: 'markdown' });
}

// ── SVG chart ───────────────────────────────────────────────────────────────────────────────

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d'];
const B0_COLOR = '#555555';

const escapeXml = (text) =>
  String(text).replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );

const shortNumber = (v) =>
  v >= 10_000
    ? `${Math.round(v / 1000)}k`
    : v >= 100
      ? String(Math.round(v))
      : v >= 10
        ? v.toFixed(0)
        : v.toFixed(1);

/**
 * One panel of grouped bars on a log scale. `groups`: [{ label, bars: [{ series, value }] }];
 * every bar carries its value above it.
 */
function panel({ x, y, width, height, title, unit, groups, colorOf }) {
  const parts = [];
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => v > 0);
  if (values.length === 0) return '';
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values) * 1.01));
  const left = x + 56;
  const top = y + 28;
  const plotW = width - 66;
  const plotH = height - 64;
  const scale = (v) =>
    top + plotH - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  parts.push(
    `<text x="${x}" y="${y + 14}" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  );
  for (let t = lo; t <= hi * 1.0001; t *= 10) {
    const ty = scale(t);
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${ty + 4}" font-size="11" text-anchor="end">${shortNumber(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${x + 12}" y="${top + plotH / 2}" font-size="11" text-anchor="middle" ` +
      `transform="rotate(-90 ${x + 12} ${top + plotH / 2})">${escapeXml(unit)}</text>`,
  );
  const groupW = plotW / groups.length;
  groups.forEach((group, gi) => {
    const gx = left + gi * groupW;
    const barW = Math.min(36, (groupW - 16) / Math.max(1, group.bars.length));
    const startX = gx + (groupW - barW * group.bars.length) / 2;
    group.bars.forEach((bar, bi) => {
      if (!(bar.value > 0)) return;
      const bx = startX + bi * barW;
      const by = scale(Math.max(bar.value, lo));
      parts.push(
        `<rect x="${bx + 2}" y="${by}" width="${barW - 4}" height="${top + plotH - by}" ` +
          `fill="${colorOf(bar.series)}"><title>${escapeXml(`${bar.series} @ ${group.label}: ${bar.value}`)}</title></rect>`,
        `<text x="${bx + barW / 2}" y="${by - 3}" font-size="10" text-anchor="middle">${shortNumber(bar.value)}</text>`,
      );
    });
    parts.push(
      `<text x="${gx + groupW / 2}" y="${top + plotH + 16}" font-size="12" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#888"/>`,
  );
  return parts.join('\n');
}

export function renderSvg(results) {
  const width = 980;
  const closed = results.scenarios.filter((s) => s.model === 'closed');
  const b0 = results.baselines.b0 ?? [];
  const b1 = results.baselines.b1 ?? [];
  const series = ['b0', ...new Set(closed.map((s) => s.name))];
  const colors = new Map(
    series.map((name, i) => [name, name === 'b0' ? B0_COLOR : PALETTE[(i - 1) % PALETTE.length]]),
  );
  const connections = [...new Set([...b0, ...closed].map((r) => r.connections))].sort(
    (a, b) => a - b,
  );
  const groupsOf = (field) =>
    connections.map((c) => ({
      label: `${c} connection${c === 1 ? '' : 's'}`,
      bars: series
        .map((name) => [...b0, ...closed].find((r) => r.name === name && r.connections === c))
        .filter(Boolean)
        .map((r) => ({ series: r.name, value: r[field] })),
    }));
  const panels = [];
  let y = 64;
  const height = 250;
  // One row of charts side by side, sharing the width; the next row starts below it.
  const addRow = (...charts) => {
    const chartWidth = (width - 10 * (charts.length + 1)) / charts.length;
    charts.forEach((chart, i) =>
      panels.push(panel({ ...chart, x: 10 + i * (chartWidth + 10), y, width: chartWidth, height })),
    );
    y += height + 10;
  };
  const closedColor = (s) => colors.get(s);
  if (connections.length) {
    addRow({
      title: 'Throughput, closed model (log scale)',
      unit: 'req/s',
      groups: groupsOf('rps'),
      colorOf: closedColor,
    });
    addRow({
      title: 'p99 latency, closed model (log scale)',
      unit: 'ms',
      groups: groupsOf('p99_ms'),
      colorOf: closedColor,
    });
  }
  const b1Colors = new Map([
    ['b1.single', '#4575b4'],
    ['b1.batched', '#d73027'],
  ]);
  if (b1.length) {
    const inFlight = [...new Set(b1.map((r) => r.in_flight))];
    const groups = (field) =>
      inFlight.map((n) => ({
        label: `${n} in flight`,
        bars: b1.filter((r) => r.in_flight === n).map((r) => ({ series: r.name, value: r[field] })),
      }));
    const b1Color = (s) => b1Colors.get(s);
    addRow(
      {
        title: 'B1 kafkajs round trips/s (log)',
        unit: 'round trips/s',
        groups: groups('rps'),
        colorOf: b1Color,
      },
      { title: 'B1 p99 round trip (log)', unit: 'ms', groups: groups('p99_ms'), colorOf: b1Color },
    );
  }
  const legend = [...series.map((s) => [s, colors.get(s)]), ...(b1.length ? [...b1Colors] : [])];
  const legendParts = legend.map(([name, color], i) => {
    const lx = 10 + (i % 6) * 160;
    const ly = 36 + Math.floor(i / 6) * 16;
    return `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color}"/><text x="${lx + 18}" y="${ly}" font-size="12">${escapeXml(name)}</text>`;
  });
  const m = results.machine;
  const title =
    `npm run bench, ${results.date.slice(0, 10)}: ${m.cores} × ${m.cpu_model}, ` +
    `${results.settings.duration_s} s per point, LOG_LEVEL=${results.settings.log_level}`;
  const totalHeight = y + 4 + Math.floor((legend.length - 1) / 6) * 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${totalHeight}" viewBox="0 0 ${width} ${totalHeight}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...legendParts,
    `<g transform="translate(0 ${Math.floor((legend.length - 1) / 6) * 16})">`,
    ...panels,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
