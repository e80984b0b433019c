// Collision-resistant, roughly time-ordered ids in the shape of Prisma's cuid() (25 chars,
// starting with "c"), for rows inserted in bulk or by raw SQL. Works in Node and browsers.
let counter = Math.floor(Math.random() * 1679616);

export function newId(): string {
  const time = Date.now().toString(36).padStart(9, '0').slice(-9);
  counter = (counter + 1) % 1679616;
  const count = counter.toString(36).padStart(4, '0');
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let rand = '';
  for (const b of bytes) rand += (b % 36).toString(36);
  return `c${time}${count}${rand.slice(0, 11)}`;
}

/** A fresh idempotency key for one submit attempt. */
export function newIdempotencyKey(): string {
  return `sub_${newId()}`;
}
