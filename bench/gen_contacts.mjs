#!/usr/bin/env node
// Deterministic generator of realistic Dialbook contacts (no dependencies).
//
//   node bench/gen_contacts.mjs --count N [--seed S]                 NDJSON on stdout
//   node bench/gen_contacts.mjs --load URL --token T --count N [--seed S]
//        [--batch 10000] [--concurrency 2]                           POST /api/v1/contacts/bulk
//   --sample-out FILE   also write search samples (phone digits, first and last names of
//                       generated contacts) for bench/search_mix.lua (SAMPLES env var there).
//
// The same --seed and --count always give the same contacts, in the same order, whether
// printed or loaded. Every phone (main and additional) is unique within one run; US numbers
// use real NANP area codes and exchanges 2xx–9xx (no N11, no 555-01xx, no made-up runs),
// about 10% are international (GB, DE, FR, ES, NL, valid for libphonenumber).
// In --load mode the last line is machine-readable:
//   RESULT created=N errors=E seconds=S rate=R min_id=A max_id=B
// Exit status: 0 when every contact was created, 3 when some rows were refused, 1 on a
// fatal error (server unreachable, bad arguments).
import fs from 'node:fs';
import { makeRng, looksFake } from './gen_common.mjs';

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const opts = { count: 1000, seed: '1', batch: 10000, concurrency: 2, load: null,
    token: process.env.TOKEN || null, sampleOut: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--count': opts.count = Number(next()); break;
      case '--seed': opts.seed = next(); break;
      case '--batch': opts.batch = Number(next()); break;
      case '--concurrency': opts.concurrency = Number(next()); break;
      case '--load': opts.load = next(); break;
      case '--token': opts.token = next(); break;
      case '--sample-out': opts.sampleOut = next(); break;
      case '--quiet': opts.quiet = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (!Number.isInteger(opts.count) || opts.count < 0) usage('--count must be a whole number');
  if (!Number.isInteger(opts.batch) || opts.batch < 1 || opts.batch > 10000) usage('--batch must be 1..10000');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) usage('--concurrency must be ≥ 1');
  if (opts.load && !opts.token) usage('--load needs --token (or TOKEN in the environment)');
  return opts;
}

function usage(msg) {
  if (msg) process.stderr.write(`error: ${msg}\n`);
  process.stderr.write(
    'usage: node bench/gen_contacts.mjs --count N [--seed S] [--sample-out FILE]\n' +
    '       node bench/gen_contacts.mjs --load URL --token T --count N [--seed S]\n' +
    '            [--batch 10000] [--concurrency 2] [--sample-out FILE] [--quiet]\n');
  process.exit(msg ? 2 : 0);
}

// ---------------------------------------------------------------- data pools
const FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William',
  'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah',
  'Charles', 'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony',
  'Margaret', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily',
  'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Dorothy', 'Kevin', 'Carol', 'Brian',
  'Amanda', 'George', 'Melissa', 'Edward', 'Deborah', 'Ronald', 'Stephanie', 'Timothy',
  'Rebecca', 'Jason', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia', 'Jacob', 'Kathleen',
  'Gary', 'Amy', 'Nicholas', 'Angela', 'Eric', 'Shirley', 'Jonathan', 'Anna', 'Stephen',
  'Brenda', 'Larry', 'Pamela', 'Justin', 'Emma', 'Scott', 'Nicole', 'Brandon', 'Helen',
  'Benjamin', 'Samantha', 'Samuel', 'Katherine', 'Gregory', 'Christine', 'Alexander', 'Debra',
  'Frank', 'Rachel', 'Patrick', 'Carolyn', 'Raymond', 'Janet', 'Jack', 'Catherine', 'Dennis',
  'Maria', 'Jerry', 'Heather', 'Tyler', 'Diane', 'Aaron', 'Ruth', 'Jose', 'Julie', 'Adam',
  'Olivia', 'Nathan', 'Joyce', 'Henry', 'Virginia', 'Douglas', 'Victoria', 'Zachary', 'Kelly',
  'Peter', 'Lauren', 'Kyle', 'Christina', 'Ethan', 'Joan', 'Walter', 'Evelyn', 'Noah', 'Judith',
  'Jeremy', 'Megan', 'Christian', 'Andrea', 'Keith', 'Cheryl', 'Roger', 'Hannah', 'Terry',
  'Jacqueline', 'Gerald', 'Martha', 'Harold', 'Gloria', 'Sean', 'Teresa', 'Austin', 'Ann',
  'Carl', 'Sara', 'Arthur', 'Madison', 'Lawrence', 'Frances', 'Dylan', 'Kathryn', 'Jesse',
  'Janice', 'Jordan', 'Jean', 'Bryan', 'Abigail', 'Billy', 'Alice', 'Joe', 'Julia', 'Bruce',
  'Judy', 'Gabriel', 'Sophia', 'Logan', 'Grace', 'Albert', 'Denise', 'Willie', 'Amber',
  'Alan', 'Doris', 'Juan', 'Marilyn', 'Wayne', 'Danielle', 'Elijah', 'Beverly', 'Randy',
  'Isabella', 'Roy', 'Theresa', 'Vincent', 'Diana', 'Ralph', 'Natalie', 'Eugene', 'Brittany',
  'Russell', 'Charlotte', 'Bobby', 'Marie', 'Mason', 'Kayla', 'Philip', 'Alexis', 'Louis', 'Lori',
  // accented / non-English
  'José', 'Zoë', 'Łukasz', 'Chloé', 'Renée', 'André', 'Zoé', 'Élodie', 'François', 'Hélène',
  'Jürgen', 'Björn', 'Søren', 'Mário', 'Inês', 'Raúl', 'Sofía', 'Lucía', 'Ángel', 'Iñigo',
  'Małgorzata', 'Paweł', 'Agnieszka', 'Wojciech', 'Dóra', 'Ádám', 'Çağla', 'Oğuz', 'Noémie',
  'Jérôme', 'Anaïs', 'Gaëlle', 'Ines', 'Mateo', 'Luca', 'Giulia', 'Matteo', 'Aoife', 'Siobhán',
  'Niamh', 'Seán', 'Priya', 'Arjun', 'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Fatima', 'Omar',
  'Aisha', 'Mohammed', 'Ngozi', 'Kwame', 'Dmitri', 'Olga', 'Ivan', 'Katarzyna', 'Ana', 'Carlos',
];

const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
  'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor',
  'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez',
  'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans',
  'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris',
  'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson',
  'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson',
  'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price',
  'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez',
  'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler',
  'Henderson', 'Barnes', 'Gonzales', 'Fisher', 'Vasquez', 'Simmons', 'Romero', 'Jordan',
  'Patterson', 'Alexander', 'Hamilton', 'Graham', 'Reynolds', 'Griffin', 'Wallace', 'Moreno',
  'West', 'Cole', 'Hayes', 'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina', 'Aguilar',
  'Stevens', 'Murray', 'Ford', 'Castro', 'Marshall', 'Owens', 'Harrison', 'Fernandez',
  'McDonald', 'Woods', 'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen', 'Freeman',
  'Webb', 'Tucker', 'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter',
  'Gordon', 'Mendez', 'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Munoz', 'Hunt', 'Hicks',
  'Holmes', 'Palmer', 'Wagner', 'Black', 'Robertson', 'Boyd', 'Rose', 'Stone', 'Salazar', 'Fox',
  "O'Brien", "O'Connor", 'Van der Berg', 'De la Cruz', 'MacLeod',
  // accented / non-English
  'Müller', 'Schäfer', 'Böhm', 'Groß', 'Jäger', 'Köhler', 'Weiß', 'Schröder', 'Krüger',
  'Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Łukasiewicz', 'Dąbrowski', 'Zieliński',
  'García', 'Martínez', 'Rodríguez', 'Sánchez', 'Pérez', 'Gómez', 'Fernández', 'López', 'Muñoz',
  'Núñez', 'Ibáñez', 'Peña', 'Castañeda', 'Gonçalves', 'Conceição', 'Simões', 'Magalhães',
  'Lefèvre', 'Dubois', 'Moreau', 'Girard', 'Bérénice', 'Lemaître', 'Fournier', 'Rousseau',
  'Citroën', 'Brontë', 'Åkesson', 'Sørensen', 'Ødegaard', 'Nyström', 'Lindqvist', 'Horváth',
  'Szabó', 'Kovács', 'Dvořák', 'Novák', 'Yılmaz', 'Öztürk', 'Şahin', 'Rossi', 'Russo',
  'Ferrari', 'Esposito', 'Bianchi', 'Romano', "D'Angelo", 'Nakamura', 'Tanaka', 'Suzuki',
  'Wang', 'Li', 'Zhang', 'Liu', 'Singh', 'Kumar', 'Sharma', 'Okafor', 'Mensah', 'Ivanov',
  'Petrov', 'Murphy', "Ó Súilleabháin", 'Nic Giolla', 'Kaczmarek', 'Lewandowski',
];

// ASCII folding for e-mail local parts.
const FOLD = { 'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'ß': 'ss', 'æ': 'ae', 'Æ': 'AE', 'ı': 'i',
  'đ': 'd', 'Đ': 'D', 'œ': 'oe', 'Œ': 'OE' };
function asciiFold(s) {
  return s.replace(/[łŁøØßæÆıđĐœŒ]/g, (ch) => FOLD[ch]).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com',
  'aol.com', 'proton.me', 'comcast.net', 'att.net', 'verizon.net', 'gmx.de', 'web.de',
  'orange.fr', 'free.fr', 'btinternet.com', 'mail.com', 'fastmail.com', 'yahoo.co.uk'];

const COMPANY_A = ['Acme', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Stark',
  'Wayne', 'Hooli', 'Vandelay', 'Pied Piper', 'Soylent', 'Blue Ridge', 'Summit', 'Pinecrest',
  'Lakeside', 'Riverbend', 'Golden Gate', 'Evergreen', 'Silver Oak', 'Redwood', 'Harbor',
  'Cedar Grove', 'Sunrise', 'Maplewood', 'Brightside', 'Keystone', 'Ironwood', 'Bluebird',
  'Crescent', 'Meridian', 'Atlas', 'Horizon', 'Pioneer', 'Liberty', 'Frontier', 'Cascade',
  'Müller & Söhne', 'Café Zoë', 'Łódź Trading', 'Société Générale de Café', 'Niño Foods'];
const COMPANY_B = ['Dental', 'Family Clinic', 'Pediatrics', 'Logistics', 'Realty', 'Insurance',
  'Auto Group', 'Solar', 'Roofing', 'Plumbing', 'HVAC', 'Law Group', 'Chiropractic',
  'Veterinary', 'Fitness', 'Capital', 'Mortgage', 'Consulting', 'Software', 'Labs',
  'Marketing', 'Staffing', 'Construction', 'Landscaping', 'Home Care', 'Pharmacy', 'Bakery',
  'Motors', 'Holdings', 'Partners', 'Medical Group', 'Orthodontics', 'Physical Therapy'];
const COMPANY_SUFFIX = ['', '', '', ' LLC', ' Inc.', ' Co.', ' Ltd', ' GmbH', ' SARL', ' & Co'];

// [state, cities] — weights follow the order (skewed pick).
const US_STATES = [
  ['CA', ['Los Angeles', 'San Francisco', 'San Diego', 'San José', 'Oakland', 'Sacramento', 'Fresno']],
  ['TX', ['Houston', 'Dallas', 'Austin', 'San Antonio', 'El Paso', 'Fort Worth']],
  ['FL', ['Miami', 'Tampa', 'Orlando', 'Jacksonville', 'Tallahassee']],
  ['NY', ['New York', 'Brooklyn', 'Buffalo', 'Rochester', 'Albany']],
  ['PA', ['Philadelphia', 'Pittsburgh', 'Allentown']], ['IL', ['Chicago', 'Springfield', 'Naperville']],
  ['OH', ['Columbus', 'Cleveland', 'Cincinnati']], ['GA', ['Atlanta', 'Savannah', 'Athens']],
  ['NC', ['Charlotte', 'Raleigh', 'Durham']], ['MI', ['Detroit', 'Grand Rapids', 'Ann Arbor']],
  ['NJ', ['Newark', 'Jersey City', 'Trenton']], ['VA', ['Richmond', 'Arlington', 'Norfolk']],
  ['WA', ['Seattle', 'Spokane', 'Tacoma']], ['AZ', ['Phoenix', 'Tucson', 'Mesa']],
  ['MA', ['Boston', 'Cambridge', 'Worcester']], ['TN', ['Nashville', 'Memphis', 'Knoxville']],
  ['IN', ['Indianapolis', 'Fort Wayne']], ['MO', ['St. Louis', 'Kansas City']],
  ['MD', ['Baltimore', 'Annapolis']], ['WI', ['Milwaukee', 'Madison']], ['CO', ['Denver', 'Boulder']],
  ['MN', ['Minneapolis', 'Saint Paul']], ['SC', ['Charleston', 'Columbia']], ['AL', ['Birmingham', 'Mobile']],
  ['LA', ['New Orleans', 'Baton Rouge']], ['KY', ['Louisville', 'Lexington']], ['OR', ['Portland', 'Eugene']],
  ['OK', ['Oklahoma City', 'Tulsa']], ['CT', ['Hartford', 'New Haven']], ['UT', ['Salt Lake City', 'Provo']],
  ['NV', ['Las Vegas', 'Reno']], ['IA', ['Des Moines']], ['AR', ['Little Rock']], ['KS', ['Wichita']],
  ['NM', ['Albuquerque', 'Santa Fe']], ['NE', ['Omaha']], ['ID', ['Boise']], ['HI', ['Honolulu']],
  ['NH', ['Manchester']], ['ME', ['Portland']], ['RI', ['Providence']], ['MT', ['Billings']],
  ['DE', ['Wilmington']], ['SD', ['Sioux Falls']], ['ND', ['Fargo']], ['AK', ['Anchorage']],
  ['VT', ['Burlington']], ['WY', ['Cheyenne']], ['WV', ['Charleston']], ['MS', ['Jackson']],
  ['DC', ['Washington']],
];

// Geographic area codes in service for a long time (all valid for libphonenumber's US data).
const US_AREA_CODES = [
  201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224,
  225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270,
  276, 281, 301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318,
  319, 320, 321, 323, 325, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402,
  404, 405, 406, 407, 408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 424, 425, 432, 434,
  435, 440, 443, 469, 478, 479, 480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510, 512,
  513, 515, 516, 517, 518, 520, 530, 540, 541, 551, 559, 561, 562, 563, 567, 570, 571, 573,
  574, 580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610, 612, 614, 615, 616, 617,
  618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651, 660, 661, 662, 678, 682, 701,
  702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716, 717, 718, 719, 720, 724, 727, 731,
  732, 734, 740, 754, 757, 760, 763, 765, 770, 772, 773, 774, 775, 781, 785, 786, 801, 802,
  803, 804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817, 818, 828, 830, 831, 832, 843,
  845, 847, 848, 850, 856, 857, 858, 859, 860, 862, 863, 864, 865, 870, 901, 903, 904, 906,
  907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931, 936, 937,
  940, 941, 947, 949, 951, 952, 954, 956, 970, 971, 972, 973, 978, 979, 980, 985, 989,
].map(String);

const TAGS = ['lead', 'customer', 'prospect', 'follow-up', 'newsletter', 'callback', 'no-answer',
  'voicemail', 'warm', 'hot', 'cold', 'referral', 'inbound', 'outbound', 'partner', 'renewal',
  'trial', 'churned', 'enterprise', 'smb', 'spanish-speaking', 'billing', 'support',
  'appointment', 'reminder-sent', 'event-2025', 'west-coast', 'east-coast', 'do-not-text'];
// + 'vip' (about 5% of contacts, independent of the others) → 30 tags.

const NOTES = [
  'Prefers calls after 5pm.', 'Asked for a callback next week.', 'Spoke with assistant, call back Monday.',
  'Interested in the annual plan.', 'Left voicemail twice.', 'Wants a quote by e-mail first.',
  'Referred by an existing customer.', 'Do not call before 9am local time.',
  'Habla español — prefers Spanish.', 'Parle français.', 'Spricht Deutsch, bevorzugt E-Mail.',
  'Follow up about the renewal.', 'Met at the trade show in Las Vegas.', 'Billing contact for the clinic.',
  'Appointment confirmed for Tuesday 10:30.', 'Needs wheelchair access at the office.',
  'Decision maker; budget approved for Q3.', 'Called about a billing error, resolved.',
  'Not interested right now, try again in six months.', 'Café owner — busy at lunch time.',
  'Prefers text messages over calls.', 'Number belongs to front desk; ask for the manager.',
];

// ---------------------------------------------------------------- phones
// Returns {input, e164, digits, country} — input is how the contact would arrive.
function usNumber(rng) {
  for (;;) {
    const area = rng.pick(US_AREA_CODES);
    const ex = String(rng.int(200, 999));
    if (ex[1] === '1' && ex[2] === '1') continue; // N11 service codes
    if (ex === '958' || ex === '959' || ex === '976') continue; // test / premium exchanges
    if (area === '505' && ex.startsWith('64') && ex !== '644') continue; // 505-64x: only 644 is valid in libphonenumber 8.12
    const line = rng.digits(4);
    if (ex === '555' && line.startsWith('01')) continue; // fictional 555-01xx
    const nsn = area + ex + line;
    if (looksFake(nsn)) continue;
    let input;
    const f = rng.next();
    if (f < 0.30) input = `(${area}) ${ex}-${line}`;
    else if (f < 0.45) input = `${area}.${ex}.${line}`;
    else if (f < 0.60) input = `+1 ${area} ${ex} ${line}`;
    else if (f < 0.75) input = `${area}-${ex}-${line}`;
    else if (f < 0.85) input = `${area}${ex}${line}`;
    else if (f < 0.95) input = `+1${area}${ex}${line}`;
    else input = `1-${area}-${ex}-${line}`;
    return { input, e164: `+1${nsn}`, digits: nsn, country: 'US' };
  }
}

function intlNumber(rng) {
  for (;;) {
    const r = rng.next();
    let cc, nsn, input, country;
    if (r < 0.30) { // United Kingdom: London 020 3/7/8xxx xxxx or mobile 07xxx xxxxxx
      cc = '44'; country = 'GB';
      if (rng.chance(0.5)) {
        const sub = rng.pick(['3', '7', '8']) + rng.digits(7);
        nsn = '20' + sub;
        input = rng.chance(0.7) ? `+44 20 ${sub.slice(0, 4)} ${sub.slice(4)}` : `020 ${sub.slice(0, 4)} ${sub.slice(4)}`;
      } else {
        const pre = rng.pick(['740', '741', '742', '743', '744', '771', '772', '773', '774', '775',
          '776', '777', '780', '781', '784', '785', '786', '787', '788', '789', '795', '796', '797', '798', '799']);
        nsn = pre + rng.digits(7);
        input = rng.chance(0.7) ? `+44 ${nsn.slice(0, 4)} ${nsn.slice(4)}` : `0${nsn.slice(0, 4)} ${nsn.slice(4)}`;
      }
    } else if (r < 0.55) { // Germany: Berlin 030 xxxxxxxx or mobile 017x xxxxxxx
      cc = '49'; country = 'DE';
      if (rng.chance(0.5)) {
        const sub = String(rng.int(2, 9)) + rng.digits(7);
        nsn = '30' + sub;
        input = `+49 30 ${sub}`;
      } else {
        const pre = '17' + rng.int(0, 9);
        const sub = String(rng.int(1, 9)) + rng.digits(6);
        nsn = pre + sub;
        input = rng.chance(0.7) ? `+49 ${pre} ${sub}` : `+49${nsn}`;
      }
    } else if (r < 0.80) { // France: mobile 06 xx xx xx xx or Paris 01 4x xx xx xx
      cc = '33'; country = 'FR';
      const first = rng.chance(0.6) ? '6' + rng.pick(['0', '1', '2', '4', '5', '6', '7', '8']) : '14';
      nsn = first + rng.digits(7);
      const pairs = `${nsn.slice(1, 3)} ${nsn.slice(3, 5)} ${nsn.slice(5, 7)} ${nsn.slice(7, 9)}`;
      input = rng.chance(0.7) ? `+33 ${nsn[0]} ${pairs}` : `0${nsn[0]} ${pairs}`;
    } else if (r < 0.90) { // Spain: mobile 6xx xxx xxx
      cc = '34'; country = 'ES';
      nsn = '6' + rng.digits(8);
      input = `+34 ${nsn.slice(0, 3)} ${nsn.slice(3, 6)} ${nsn.slice(6)}`;
    } else { // Netherlands: mobile 06 1-5xxxxxxx
      cc = '31'; country = 'NL';
      nsn = '6' + rng.int(1, 5) + rng.digits(7);
      input = `+31 6 ${nsn.slice(1)}`;
    }
    if (looksFake(nsn)) continue;
    return { input, e164: `+${cc}${nsn}`, digits: cc + nsn, country };
  }
}

// ---------------------------------------------------------------- contacts
const INTL_CITY = { GB: ['London', 'Manchester'], DE: ['Berlin', 'München'], FR: ['Paris', 'Lyon'],
  ES: ['Madrid', 'Barcelona'], NL: ['Amsterdam', 'Utrecht'] };

function makeGenerator(seed) {
  const rng = makeRng(`dialbook-contacts:${seed}`);
  const used = new Set();
  const uniquePhone = (intl) => {
    for (;;) {
      const p = intl ? intlNumber(rng) : usNumber(rng);
      if (!used.has(p.e164)) { used.add(p.e164); return p; }
    }
  };
  return function next() {
    const intl = rng.chance(0.10);
    const phone = uniquePhone(intl);
    const first = rng.skewed(FIRST_NAMES, 0.8);
    const last = rng.skewed(LAST_NAMES, 0.8);
    const c = {};
    if (rng.chance(0.05)) c.name = `${first} ${last}`; // the "name" input, split by the server
    else { c.first_name = first; c.last_name = last; }
    c.phone = phone.input;
    // National formats need the country; give it on international contacts and most US ones.
    if (intl || rng.chance(0.7)) c.country = phone.country;
    if (rng.chance(0.8)) {
      const lp = asciiFold(`${first}`).toLowerCase().replace(/[^a-z]/g, '');
      const ll = asciiFold(`${last}`).toLowerCase().replace(/[^a-z]/g, '');
      const style = rng.int(0, 3);
      const local = style === 0 ? `${lp}.${ll}` : style === 1 ? `${lp[0]}${ll}` : style === 2 ? `${lp}${ll}${rng.int(1, 99)}` : `${lp}_${ll}`;
      c.email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
    }
    if (rng.chance(0.6)) c.company = `${rng.skewed(COMPANY_A, 0.7)} ${rng.skewed(COMPANY_B, 0.7)}${rng.pick(COMPANY_SUFFIX)}`;
    if (!intl) {
      const [st, cities] = rng.skewed(US_STATES, 0.7);
      c.state = st;
      if (rng.chance(0.7)) c.city = rng.pick(cities);
      if (rng.chance(0.4)) c.zip = String(rng.int(10000, 99999));
    } else if (rng.chance(0.7)) {
      c.city = rng.pick(INTL_CITY[phone.country]);
    }
    if (rng.chance(0.15)) c.notes = rng.pick(NOTES);
    const tags = [];
    if (rng.chance(0.05)) tags.push('vip');
    const extra = rng.next() < 0.35 ? 0 : rng.next() < 0.6 ? 1 : 2;
    for (let i = 0; i < extra; i++) {
      const t = rng.skewed(TAGS, 0.6);
      if (!tags.includes(t)) tags.push(t);
    }
    if (tags.length) c.tags = tags;
    if (rng.chance(0.03)) {
      const p2 = uniquePhone(rng.chance(0.2));
      c.phones = [{ label: rng.pick(['work', 'home', 'mobile', 'office']), number: p2.e164 }];
    }
    if (rng.chance(0.02)) c.starred = true;
    return { contact: c, digits: phone.digits, first, last };
  };
}

// ---------------------------------------------------------------- samples for search_mix.lua
function makeSampler(file, count) {
  if (!file) return { add() {}, close() {} };
  const every = Math.max(1, Math.floor(count / 5000));
  const phones = [];
  const names = new Set();
  let i = 0;
  return {
    add(g) {
      if (i++ % every === 0 && phones.length < 5000) phones.push(g.digits);
      if (names.size < 4000) { names.add(`first ${g.first}`); names.add(`last ${g.last}`); }
    },
    close() {
      const lines = ['# search samples written by bench/gen_contacts.mjs',
        ...phones.map((d) => `phone ${d}`), ...names];
      fs.writeFileSync(file, lines.join('\n') + '\n');
    },
  };
}

// ---------------------------------------------------------------- NDJSON mode
async function printNdjson(opts) {
  const next = makeGenerator(opts.seed);
  const sampler = makeSampler(opts.sampleOut, opts.count);
  const out = process.stdout;
  let buf = [];
  for (let i = 0; i < opts.count; i++) {
    const g = next();
    sampler.add(g);
    buf.push(JSON.stringify(g.contact));
    if (buf.length === 1000 || i === opts.count - 1) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise((r) => out.once('drain', r));
      buf = [];
    }
  }
  sampler.close();
}

// ---------------------------------------------------------------- load mode
async function load(opts) {
  let url = opts.load.replace(/\/+$/, '');
  if (!url.endsWith('/api/v1/contacts/bulk')) url += '/api/v1/contacts/bulk';
  const next = makeGenerator(opts.seed);
  const sampler = makeSampler(opts.sampleOut, opts.count);
  const batches = Math.ceil(opts.count / opts.batch);
  const log = (s) => process.stderr.write(s + '\n');
  let produced = 0, batchNo = 0, created = 0, errors = 0, done = 0;
  let minId = Infinity, maxId = 0;
  const firstErrors = [];
  const t0 = process.hrtime.bigint();
  const secs = (from) => Number(process.hrtime.bigint() - from) / 1e9;

  const takeBatch = () => {
    if (produced >= opts.count) return null;
    const n = Math.min(opts.batch, opts.count - produced);
    const rows = new Array(n);
    for (let i = 0; i < n; i++) { const g = next(); sampler.add(g); rows[i] = g.contact; }
    produced += n;
    return { no: ++batchNo, rows, start: produced - n };
  };

  const post = async (b) => {
    const body = JSON.stringify({ contacts: b.rows });
    const t = process.hrtime.bigint();
    let res, text;
    try {
      res = await fetch(url, { method: 'POST', body,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` } });
      text = await res.text();
    } catch (e) {
      throw new Error(`POST ${url} (batch ${b.no}) failed: ${e.cause?.message || e.message}`);
    }
    const dt = secs(t);
    let bc = 0, be = 0;
    if (res.status !== 200) {
      be = b.rows.length;
      if (firstErrors.length < 5) firstErrors.push(`batch ${b.no}: HTTP ${res.status} ${text.slice(0, 500)}`);
    } else {
      const j = JSON.parse(text);
      bc = j.created;
      be = (j.errors || []).length;
      for (const id of j.ids || []) { if (id < minId) minId = id; if (id > maxId) maxId = id; }
      if (bc + be !== b.rows.length && firstErrors.length < 5)
        firstErrors.push(`batch ${b.no}: created ${bc} + errors ${be} != ${b.rows.length} rows sent`);
      for (const e of j.errors || []) {
        if (firstErrors.length >= 5) break;
        firstErrors.push(`contact #${b.start + e.index} (batch ${b.no} index ${e.index}): ${e.code} ` +
          `field=${e.field} "${e.message}" input=${JSON.stringify(b.rows[e.index])}`);
      }
    }
    created += bc; errors += be; done++;
    if (!opts.quiet) {
      const total = secs(t0);
      log(`batch ${String(b.no).padStart(String(batches).length)}/${batches}: ` +
        `${b.rows.length} sent, ${bc} created, ${be} errors, ${dt.toFixed(2)} s ` +
        `(${Math.round(b.rows.length / dt)}/s); total ${created} created, ${Math.round(created / total)}/s`);
    }
  };

  const worker = async () => {
    for (let b = takeBatch(); b; b = takeBatch()) await post(b);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(1, batches)) }, worker));
  } catch (e) {
    log(`error: ${e.message}`);
    process.exit(1);
  }
  sampler.close();
  const seconds = secs(t0);
  const rate = created / seconds;
  log(`loaded ${created} of ${opts.count} contacts in ${seconds.toFixed(1)} s: ${Math.round(rate)} contacts/s, ` +
    `${errors} errors (batch ${opts.batch}, concurrency ${opts.concurrency})`);
  if (firstErrors.length) {
    log(`first errors:`);
    for (const e of firstErrors) log(`  ${e}`);
  }
  process.stdout.write(`RESULT created=${created} errors=${errors} seconds=${seconds.toFixed(2)} ` +
    `rate=${Math.round(rate)} min_id=${minId === Infinity ? 0 : minId} max_id=${maxId}\n`);
  return errors === 0 && created === opts.count ? 0 : 3;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.load) process.exitCode = await load(opts);
else await printNdjson(opts);
