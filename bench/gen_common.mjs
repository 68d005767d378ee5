// Shared by the benchmark data generators (gen_contacts.mjs, gen_import_csv.mjs).

// A small seeded PRNG: sfc32 seeded by an xmur3 hash of a string, so a seed always gives
// the same data.
export function makeRng(seedText) {
  let h = 1779033703 ^ seedText.length;
  for (let i = 0; i < seedText.length; i++) {
    h = Math.imul(h ^ seedText.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const seed = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
  let a = seed(), b = seed(), c = seed(), d = seed();
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    // Zipf-ish pick: earlier entries are more common (names, tags, companies); s > 0.
    skewed: (arr, s) => arr[Math.min(arr.length - 1, Math.floor(arr.length * Math.pow(next(), s * 2)))],
    digits: (n) => { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(next() * 10); return s; },
  };
}

// Same rule as the server's LooksFake (src/domain/phone.cc): one digit repeated, or a
// straight run such as 1234567890 — numbers the import refuses as fake_number.
export function looksFake(nsn) {
  if (nsn.length < 6) return false;
  let same = true, up = true, down = true;
  for (let i = 1; i < nsn.length; i++) {
    const p = nsn.charCodeAt(i - 1) - 48, d = nsn.charCodeAt(i) - 48;
    same &&= d === nsn.charCodeAt(0) - 48;
    up &&= d === (p + 1) % 10;
    down &&= d === (p + 9) % 10;
  }
  return same || up || down;
}
