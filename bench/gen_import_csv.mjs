#!/usr/bin/env node
// Streaming generator of realistic, messy import CSVs (a CRM export) for the import benchmark.
// No dependencies.
//
//   node bench/gen_import_csv.mjs --rows N --out FILE [--seed S] [--crlf] [--expect-column]
//                                 [--stats-json FILE]
//
// --out - writes to stdout. The same --seed and --rows always give the same bytes.
// Memory stays flat whatever N is: rows are written in ~1 MiB chunks with backpressure,
// and no per-row state is kept except a ring of 4096 recent phones (for duplicates).
//
// Columns: First Name, Last Name, Phone, Email, Company, Street, City, State, Zip, Notes,
// Consent, Tags. Quoting follows RFC 4180: companies, streets and notes with commas, quotes
// or line breaks are quoted; notes carry accents, "quotes" and line breaks.
//
// Each row has at most ONE problem, so what an import should give is exact and does not depend
// on which check runs first:
//   ~84%  good: a valid, unique phone, a consenting value (yes / Y / opted-in / Yes / true),
//         an email that is valid or empty          → imported
//   ~2%   blank phone                               → missing_phone
//   ~2.2% junk phone (n/a, 12, tbd, 555-CALL-NOW, too long, bad country code …) → invalid_phone
//   ~0.8% made-up phone (123-456-7890, 000-000-0000 …)                           → fake_number
//   ~1%   the phone of an earlier good row, in another format  → duplicate_in_file
//   ~2%   an invalid email (john@, a@@b.com, "bob at gmail.com" …) → invalid_email
//   ~8%   consent "no" or blank                     → no_consent (when Consent is mapped)
// Valid phones: ~88% US in real NANP area codes, exchanges 2xx–9xx (no N11, no 555, no
// 958/959/976), formats "(415) 555-0134" "415-555-0134" "4155550134" "+1 415 555 0134"
// "415.555.0134" "1-415-555-0134" "+14155550134", ~3% of them with an extension
// ("ext. 12", "x305"); ~12% international in + form: GB "+44 20 7946 0018" / "+44 7911
// 123456", DE "+49 30 90182034" / "+49 170 1234567", FR "+33 1 42 68 53 00" / "+33 6 12 34 56
// 78", ES "+34 612 345 678", NL "+31 6 12345678". Every valid number is distinct: each
// area or prefix runs through its number space with a bijective counter (no Set of seen numbers).
//
// Emails are unique per row (they carry the row number), so matching duplicates by email
// changes nothing. Statistics go to stderr as one line (`STATS rows=… expected_imported=… …`) and, with
// --stats-json, to a JSON file. --expect-column adds a last column "Expected" holding the
// reason each row should be skipped for, or "" (an unmapped column, ignored by the import).
import fs from 'node:fs';
import { makeRng, looksFake } from './gen_common.mjs';

// ---------------------------------------------------------------- arguments
function usage(msg) {
  if (msg) process.stderr.write(`gen_import_csv: ${msg}\n`);
  process.stderr.write('usage: node bench/gen_import_csv.mjs --rows N --out FILE|- [--seed S] [--crlf]\n' +
    '                                   [--expect-column] [--stats-json FILE]\n');
  process.exit(msg ? 2 : 0);
}

function parseArgs(argv) {
  const o = { rows: null, out: null, seed: '1', crlf: false, expect: false, statsJson: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    switch (a) {
      case '--rows': o.rows = Number(next()); break;
      case '--out': o.out = next(); break;
      case '--seed': o.seed = String(next()); break;
      case '--crlf': o.crlf = true; break;
      case '--expect-column': o.expect = true; break;
      case '--stats-json': o.statsJson = next(); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (o.rows === null || !Number.isInteger(o.rows) || o.rows < 0) usage('--rows N (a whole number) is required');
  if (!o.out) usage('--out FILE is required (- for stdout)');
  return o;
}

// ---------------------------------------------------------------- pools
const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William',
  'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles',
  'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark',
  'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua',
  'Michelle', 'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa', 'Edward', 'Deborah', 'Ronald',
  'Stephanie', 'Timothy', 'Rebecca', 'Jason', 'Laura', 'Ryan', 'Cynthia', 'Jacob', 'Amy', 'Nicholas',
  'Angela', 'Eric', 'Anna', 'Stephen', 'Emma', 'Scott', 'Nicole', 'Brandon', 'Helen', 'Samuel', 'Grace',
  'José', 'Zoë', 'Łukasz', 'Chloé', 'Renée', 'André', 'Élodie', 'François', 'Hélène', 'Jürgen', 'Björn',
  'Søren', 'Inês', 'Raúl', 'Sofía', 'Lucía', 'Ángel', 'Iñigo', 'Małgorzata', 'Paweł', 'Ádám', 'Çağla',
  'Noémie', 'Jérôme', 'Anaïs', 'Siobhán', 'Seán', 'Priya', 'Arjun', 'Wei', 'Mei', 'Hiroshi', 'Fatima',
  'Omar', 'Aisha', 'Ngozi', 'Kwame', 'Dmitri', 'Olga', 'Mateo', 'Giulia', 'Aoife', 'Ana', 'Carlos'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
  'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill',
  'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter',
  "O'Brien", "O'Connor", 'Van der Berg', 'De la Cruz', 'MacLeod', "D'Angelo",
  'Müller', 'Schäfer', 'Böhm', 'Groß', 'Jäger', 'Köhler', 'Weiß', 'Schröder', 'Nowak', 'Kowalski',
  'Wiśniewski', 'Wójcik', 'Łukasiewicz', 'García', 'Martínez', 'Rodríguez', 'Sánchez', 'Pérez',
  'Fernández', 'Muñoz', 'Núñez', 'Ibáñez', 'Peña', 'Gonçalves', 'Conceição', 'Lefèvre', 'Dubois',
  'Lemaître', 'Brontë', 'Åkesson', 'Sørensen', 'Ødegaard', 'Nyström', 'Horváth', 'Szabó', 'Dvořák',
  'Yılmaz', 'Öztürk', 'Şahin', 'Rossi', 'Nakamura', 'Tanaka', 'Wang', 'Li', 'Zhang', 'Singh', 'Patel',
  'Okafor', 'Mensah', 'Ivanov', 'Ó Súilleabháin', 'Kaczmarek'];
const FOLD = { 'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'ß': 'ss', 'ı': 'i', 'Å': 'A', 'å': 'a' };
const emailLocalCache = new Map();
function emailPart(s) {
  let v = emailLocalCache.get(s);
  if (v === undefined) {
    v = s.replace(/[łŁøØßıÅå]/g, (ch) => FOLD[ch]).normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/[^a-z]/g, '');
    emailLocalCache.set(s, v);
  }
  return v;
}
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com',
  'comcast.net', 'att.net', 'proton.me', 'gmx.de', 'orange.fr', 'btinternet.com', 'example.com'];
const CO_A = ['Acme', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay',
  'Blue Ridge', 'Summit', 'Lakeside', 'Riverbend', 'Golden Gate', 'Evergreen', 'Redwood', 'Harbor',
  'Keystone', 'Meridian', 'Atlas', 'Horizon', 'Pioneer', 'Liberty', 'Cascade', 'Müller & Söhne',
  'Café Zoë', 'Łódź Trading', 'Niño Foods'];
const CO_B = ['Dental', 'Family Clinic', 'Logistics', 'Realty', 'Insurance', 'Auto Group', 'Solar',
  'Roofing', 'Plumbing', 'HVAC', 'Law Group', 'Veterinary', 'Fitness', 'Capital', 'Mortgage',
  'Consulting', 'Software', 'Marketing', 'Staffing', 'Home Care', 'Bakery', 'Motors', 'Partners'];
const CO_SUFFIX = ['', '', '', ' LLC', ' Inc.', ', Inc.', ', LLC', ' Ltd', ' GmbH', ' & Co'];
const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Park Blvd', 'Elm St', 'Washington Ave',
  'Lake Rd', 'Hill St', 'Sunset Blvd', 'Broadway', 'Market St', '2nd Ave', 'Pine St', 'Church Rd'];
const US_PLACES = [['CA', 'Los Angeles'], ['CA', 'San Francisco'], ['CA', 'San José'], ['TX', 'Houston'],
  ['TX', 'Austin'], ['FL', 'Miami'], ['FL', 'Orlando'], ['NY', 'New York'], ['NY', 'Buffalo'],
  ['PA', 'Philadelphia'], ['IL', 'Chicago'], ['OH', 'Columbus'], ['GA', 'Atlanta'], ['NC', 'Charlotte'],
  ['MI', 'Detroit'], ['WA', 'Seattle'], ['AZ', 'Phoenix'], ['MA', 'Boston'], ['CO', 'Denver'],
  ['OR', 'Portland'], ['NV', 'Las Vegas'], ['MN', 'Minneapolis'], ['TN', 'Nashville'], ['NM', 'Santa Fe']];
const INTL_PLACES = { GB: [['London', 'SW1A 1AA'], ['Manchester', 'M1 1AE']], DE: [['Berlin', '10117'], ['München', '80331']],
  FR: [['Paris', '75008'], ['Lyon', '69002']], ES: [['Madrid', '28013'], ['Barcelona', '08002']],
  NL: [['Amsterdam', '1012 AB'], ['Utrecht', '3511 AA']] };
const NOTES = ['Prefers calls after 5pm.', 'Asked for a callback next week.', 'Left voicemail twice.',
  'Wants a quote by e-mail first.', 'Referred by an existing customer.', 'Habla español — prefers Spanish.',
  'Parle français, préfère le matin.', 'Spricht Deutsch, bevorzugt E-Mail.', 'Café owner — busy at lunch time.',
  'Said "call me back", then hung up.', 'Decision maker; budget approved for Q3, maybe Q4.',
  'Met at the expo.\nFollow up with the brochure.', 'Billing contact.\r\nAsk for "Accounts", not the front desk.',
  'Naïve question about the “premium” plan — explain again.', 'Do not call before 9am, ever.',
  'Zoë\'s assistant picks up; ask for Zoë.'];
const TAGS = ['vip', 'west', 'east', 'lead', 'customer', 'prospect', 'follow-up', 'newsletter', 'warm',
  'hot', 'cold', 'referral', 'inbound', 'outbound', 'renewal', 'spanish-speaking', 'event-2025'];
const CONSENT_YES = ['yes', 'yes', 'yes', 'Yes', 'Y', 'Y', 'opted-in', 'true'];

// Junk phone cells and the reason an import gives for them (checked against the server's ParsePhone).
const JUNK_INVALID = ['n/a', 'N/A', 'tbd', 'call me', 'none', '#N/A', '12', '0', '+1 415 555', '(415) 555-267',
  '41555526712345', '555-1234', '+44 20 7946', '+999 123 456 789', '555-CALL-NOW', 'see notes'];
const JUNK_FAKE = ['123-456-7890', '000-000-0000', '(999) 999-9999', '987-654-3210', '222-222-2222',
  '(555) 555-5555'];
const BAD_EMAILS = [(l) => `${l}@`, (l) => `${l}@@gmail.com`, (l) => `${l} at gmail.com`, (l) => `${l}@gmail`,
  () => 'n/a', (l) => `${l}@gmail..com`, (l) => `<${l}@yahoo.com>`, (l) => `${l}@yahoo,com`];

// ---------------------------------------------------------------- phone spaces
// Area codes in service for a long time (all valid for libphonenumber's US metadata).
const US_AREAS = [201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219,
  224, 225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276,
  281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
  323, 325, 330, 334, 336, 337, 339, 347, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407, 408, 409,
  410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 432, 434, 435, 440, 443, 469, 478, 479, 480, 484,
  501, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530, 540, 541, 551,
  559, 561, 562, 563, 567, 570, 571, 573, 574, 580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609,
  610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651, 660, 661,
  662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716, 717, 718, 719, 720, 724,
  727, 731, 732, 734, 740, 754, 757, 760, 763, 765, 770, 772, 773, 774, 775, 781, 785, 786, 801, 802,
  803, 804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817, 818, 828, 830, 831, 832, 843, 845, 847,
  848, 850, 856, 857, 858, 859, 860, 862, 863, 864, 865, 870, 901, 903, 904, 906, 907, 908, 909, 910,
  912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931, 936, 937, 940, 941, 947, 949, 951, 952,
  954, 956, 970, 971, 972, 973, 978, 979, 980, 985, 989].map(String);

function gcd(a, b) { while (b) [a, b] = [b, a % b]; return a; }
const pad = (n, w) => String(n).padStart(w, '0');

// A number space of `size` values walked by k = (c * mul + off) mod size — a bijection on
// 0..size-1, so counters never repeat a value. make(k) returns {cc, nsn, region} or null
// (a value we do not want: N11 exchange, made-up run …); null values are skipped.
function makeSpace(size, salt, make) {
  let mul = Math.floor(size * 0.6180339887) | 1;
  while (gcd(mul, size) !== 1) mul += 2;
  const off = (salt * 7919) % size;
  let c = 0;
  return () => {
    for (;;) {
      if (c >= size) throw new Error('number space exhausted');
      const k = Number((BigInt(c++) * BigInt(mul) + BigInt(off)) % BigInt(size));
      const p = make(k);
      if (p && !looksFake(p.nsn)) return p;
    }
  };
}

// 800 exchanges (200–999) × 10,000 lines per area code.
const usSpaces = US_AREAS.map((area, i) => makeSpace(8000000, i + 1, (k) => {
  const ex = 200 + Math.floor(k / 10000);
  if (ex % 100 === 11 || ex === 555 || ex === 958 || ex === 959 || ex === 976) return null;
  if (area === '505' && ex >= 640 && ex <= 649 && ex !== 644) return null;
  return { cc: '1', region: 'US', area, ex: String(ex), line: pad(k % 10000, 4), nsn: area + ex + pad(k % 10000, 4) };
}));

const GB_MOBILE = ['740', '741', '742', '743', '744', '771', '772', '773', '774', '775', '776', '777', '780',
  '781', '784', '785', '786', '787', '788', '789', '795', '796', '797', '798', '799'];
const intlSpaces = [
  // [weight, region, space]
  [0.20, 'GB', makeSpace(3 * 1e7, 11, (k) => ({ cc: '44', region: 'GB', kind: 'london', nsn: '20' + '378'[Math.floor(k / 1e7)] + pad(k % 1e7, 7) }))],
  [0.15, 'GB', makeSpace(GB_MOBILE.length * 1e7, 12, (k) => ({ cc: '44', region: 'GB', kind: 'mobile', nsn: GB_MOBILE[Math.floor(k / 1e7)] + pad(k % 1e7, 7) }))],
  [0.12, 'DE', makeSpace(8 * 1e7, 13, (k) => ({ cc: '49', region: 'DE', kind: 'berlin', nsn: '30' + (2 + Math.floor(k / 1e7)) + pad(k % 1e7, 7) }))],
  [0.13, 'DE', makeSpace(10 * 9e6, 14, (k) => ({ cc: '49', region: 'DE', kind: 'mobile', nsn: '17' + Math.floor(k / 9e6) + (1 + Math.floor((k % 9e6) / 1e6)) + pad(k % 1e6, 6) }))],
  [0.10, 'FR', makeSpace(1e7, 15, (k) => ({ cc: '33', region: 'FR', kind: 'paris', nsn: '14' + pad(k, 7) }))],
  [0.15, 'FR', makeSpace(8 * 1e7, 16, (k) => ({ cc: '33', region: 'FR', kind: 'mobile', nsn: '6' + '01245678'[Math.floor(k / 1e7)] + pad(k % 1e7, 7) }))],
  [0.08, 'ES', makeSpace(1e8, 17, (k) => ({ cc: '34', region: 'ES', kind: 'mobile', nsn: '6' + pad(k, 8) }))],
  [0.07, 'NL', makeSpace(5 * 1e7, 18, (k) => ({ cc: '31', region: 'NL', kind: 'mobile', nsn: '6' + (1 + Math.floor(k / 1e7)) + pad(k % 1e7, 7) }))],
];
const INTL_TOTAL = intlSpaces.reduce((s, [w]) => s + w, 0);

function nextIntl(rng) {
  let r = rng.next() * INTL_TOTAL;
  for (const [w, , space] of intlSpaces) {
    if ((r -= w) < 0) return space();
  }
  return intlSpaces[intlSpaces.length - 1][2]();
}

// How a number is written. `avoid` is a format index not to use (duplicates look different).
function formatPhone(p, rng, avoid = -1) {
  if (p.cc === '1') {
    let f;
    do f = rng.int(0, 6); while (f === avoid);
    const { area, ex, line } = p;
    const s = [`(${area}) ${ex}-${line}`, `${area}-${ex}-${line}`, `${area}${ex}${line}`,
      `+1 ${area} ${ex} ${line}`, `${area}.${ex}.${line}`, `1-${area}-${ex}-${line}`, `+1${area}${ex}${line}`][f];
    return { text: s, format: f };
  }
  let f;
  do f = rng.int(0, 1); while (f === avoid);
  const n = p.nsn;
  let s;
  if (f === 1) s = `+${p.cc}${n}`;
  else if (p.cc === '44') s = p.kind === 'london' ? `+44 20 ${n.slice(2, 6)} ${n.slice(6)}` : `+44 ${n.slice(0, 4)} ${n.slice(4)}`;
  else if (p.cc === '49') s = p.kind === 'berlin' ? `+49 30 ${n.slice(2)}` : `+49 ${n.slice(0, 3)} ${n.slice(3)}`;
  else if (p.cc === '33') s = `+33 ${n[0]} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 9)}`;
  else if (p.cc === '34') s = `+34 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  else s = `+31 6 ${n.slice(1)}`;
  return { text: s, format: f };
}

// ---------------------------------------------------------------- rows
function csvCell(v) {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function makeGenerator(seed, withExpect) {
  const rng = makeRng(`dialbook-import:${seed}`);
  const ring = new Array(4096);  // recent good phones, for in-file duplicates
  let ringLen = 0, ringPos = 0;
  const stats = { rows: 0, good: 0, missing_phone: 0, invalid_phone: 0, fake_number: 0,
    duplicate_in_file: 0, invalid_email: 0, no_consent: 0, international: 0, extensions: 0,
    quoted_notes_with_newline: 0, empty_email: 0 };

  return {
    stats,
    header() {
      const h = ['First Name', 'Last Name', 'Phone', 'Email', 'Company', 'Street', 'City', 'State', 'Zip',
        'Notes', 'Consent', 'Tags'];
      if (withExpect) h.push('Expected');
      return h.join(',');
    },
    row() {
      stats.rows++;
      const r = rng.next();
      // One problem at most per row.
      let kind;
      if (r < 0.02) kind = 'missing_phone';
      else if (r < 0.042) kind = 'invalid_phone';
      else if (r < 0.05) kind = 'fake_number';
      else if (r < 0.06) kind = ringLen > 0 ? 'duplicate_in_file' : 'good';
      else if (r < 0.08) kind = 'invalid_email';
      else if (r < 0.16) kind = 'no_consent';
      else kind = 'good';
      stats[kind === 'good' ? 'good' : kind]++;

      const first = rng.skewed(FIRST, 0.8), last = rng.skewed(LAST, 0.8);
      let phoneCell, phone = null;
      if (kind === 'missing_phone') phoneCell = '';
      else if (kind === 'invalid_phone') phoneCell = rng.pick(JUNK_INVALID);
      else if (kind === 'fake_number') phoneCell = rng.pick(JUNK_FAKE);
      else if (kind === 'duplicate_in_file') {
        const prev = ring[(ringPos - 1 - rng.int(0, ringLen - 1) + ring.length * 2) % ring.length];
        phone = prev.p;
        phoneCell = formatPhone(prev.p, rng, prev.format).text;
      } else {
        const intl = rng.chance(0.12);
        phone = intl ? nextIntl(rng) : usSpaces[Math.floor(rng.next() * usSpaces.length)]();
        if (intl) stats.international++;
        const f = formatPhone(phone, rng);
        phoneCell = f.text;
        if (!intl && rng.chance(0.03)) {
          phoneCell += rng.pick([` ext. ${rng.int(2, 999)}`, ` x${rng.int(10, 9999)}`, ` ext ${rng.int(1, 99)}`]);
          stats.extensions++;
        }
        if (kind === 'good') {
          ring[ringPos] = { p: phone, format: f.format };
          ringPos = (ringPos + 1) % ring.length;
          if (ringLen < ring.length) ringLen++;
        }
      }

      const lp = emailPart(first), ll = emailPart(last);
      let email = '';
      if (kind === 'invalid_email') email = rng.pick(BAD_EMAILS)(lp || 'x');
      else if (rng.chance(0.85)) {
        // Unique per row (the row number is part of it): emails of different rows never
        // match, so an import that also matches duplicates by email skips nothing extra.
        const st = rng.int(0, 3), n = stats.rows;
        const local = st === 0 ? `${lp}.${ll}${n}` : st === 1 ? `${lp[0] || 'x'}${ll}${n}` : st === 2 ? `${lp}${n}` : `${lp}_${ll}.${n}`;
        email = `${local}@${rng.pick(DOMAINS)}`;
        if (rng.chance(0.03)) email = email.toUpperCase();
      } else stats.empty_email++;

      const company = rng.chance(0.6) ? `${rng.skewed(CO_A, 0.7)} ${rng.skewed(CO_B, 0.7)}${rng.pick(CO_SUFFIX)}` : '';
      let street = '', city = '', state = '', zip = '';
      if (rng.chance(0.7)) {
        street = `${rng.int(1, 9999)} ${rng.pick(STREETS)}`;
        if (rng.chance(0.15)) street += `, ${rng.pick(['Apt', 'Suite', 'Unit'])} ${rng.int(1, 40)}`;
      }
      if (phone && phone.cc !== '1') {
        [city, zip] = rng.pick(INTL_PLACES[phone.region]);
      } else {
        [state, city] = rng.pick(US_PLACES);
        zip = rng.chance(0.1) ? pad(rng.int(1001, 9999), 5) : String(rng.int(10000, 99999));
      }
      let notes = '';
      if (rng.chance(0.15)) {
        notes = rng.pick(NOTES);
        if (notes.includes('\n')) stats.quoted_notes_with_newline++;
      }
      const consent = kind === 'no_consent' ? (rng.chance(0.5) ? 'no' : '') : rng.pick(CONSENT_YES);
      let tags = '';
      if (rng.chance(0.5)) {
        const n = rng.int(1, 3), t = [];
        for (let i = 0; i < n; i++) { const x = rng.skewed(TAGS, 0.7); if (!t.includes(x)) t.push(x); }
        tags = t.join('|');
      }
      const cells = [first, last, phoneCell, email, company, street, city, state, zip, notes, consent, tags];
      if (withExpect) cells.push(kind === 'good' ? '' : kind);
      return cells.map(csvCell).join(',');
    },
  };
}

// ---------------------------------------------------------------- main
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  const out = o.out === '-' ? process.stdout : fs.createWriteStream(o.out);
  const eol = o.crlf ? '\r\n' : '\n';
  const gen = makeGenerator(o.seed, o.expect);
  let bytes = 0;
  const write = (s) => new Promise((resolve, reject) => {
    bytes += Buffer.byteLength(s);
    if (out.write(s)) return resolve();
    const onDrain = () => { out.off('error', onError); resolve(); };
    const onError = (e) => { out.off('drain', onDrain); reject(e); };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
  let chunk = gen.header() + eol;
  for (let i = 0; i < o.rows; i++) {
    chunk += gen.row() + eol;
    if (chunk.length >= 1 << 20) { await write(chunk); chunk = ''; }
  }
  if (chunk) await write(chunk);
  if (out !== process.stdout) await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));

  const s = gen.stats;
  const skipped = s.missing_phone + s.invalid_phone + s.fake_number + s.duplicate_in_file + s.invalid_email + s.no_consent;
  const result = {
    seed: o.seed, rows: s.rows, bytes,
    expected_imported: s.good,
    expected_imported_if_invalid_emails_kept: s.good + s.invalid_email,
    expected_imported_without_consent_column: s.good + s.no_consent,
    expected_skipped: { missing_phone: s.missing_phone, invalid_phone: s.invalid_phone, fake_number: s.fake_number,
      duplicate_in_file: s.duplicate_in_file, invalid_email: s.invalid_email, no_consent: s.no_consent },
    expected_skipped_total: skipped,
    international: s.international, extensions: s.extensions, empty_email: s.empty_email,
    notes_with_line_breaks: s.quoted_notes_with_newline,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
  if (o.statsJson) fs.writeFileSync(o.statsJson, JSON.stringify(result, null, 2) + '\n');
  const flat = Object.entries(result).flatMap(([k, v]) =>
    typeof v === 'object' ? Object.entries(v).map(([k2, v2]) => `${k}.${k2}=${v2}`) : [`${k}=${v}`]);
  process.stderr.write(`STATS ${flat.join(' ')}\n`);
}

main().catch((e) => {
  process.stderr.write(`gen_import_csv: ${e.stack || e}\n`);
  process.exit(1);
});
