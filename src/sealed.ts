/**
 * Secrets we must be able to use again (webhook signing secrets, which sign every delivery) are
 * kept sealed: AES-256-GCM under a key derived (HKDF-SHA-256) from the `ENCRYPTION_KEY` secret.
 * A database dump alone yields no usable secret. Sealed text: `v1.<iv b64url>.<ciphertext b64url>`.
 */

const PURPOSE = new TextEncoder().encode("edge-checkout sealed secrets v1");

function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) =>
    c.charCodeAt(0),
  );
}

/** The AES key of the one ENCRYPTION_KEY an isolate runs with, derived once. */
let derived: { secret: string; key: Promise<CryptoKey> } | undefined;

function sealingKey(env: Env): Promise<CryptoKey> {
  const secret = env.ENCRYPTION_KEY;
  if (!secret || secret.length < 32) {
    throw new Error("ENCRYPTION_KEY is missing or shorter than 32 characters (see README).");
  }
  if (derived?.secret !== secret) derived = { secret, key: deriveSealingKey(secret) };
  return derived.key;
}

async function deriveSealingKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    "HKDF",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: PURPOSE },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export async function seal(env: Env, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await sealingKey(env),
    new TextEncoder().encode(plaintext),
  );
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(ciphertext))}`;
}

export async function unseal(env: Env, sealed: string): Promise<string> {
  const [version, iv, ciphertext] = sealed.split(".");
  if (version !== "v1" || iv === undefined || ciphertext === undefined) {
    throw new Error("Not a sealed secret.");
  }
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromB64url(iv) },
    await sealingKey(env),
    fromB64url(ciphertext),
  );
  return new TextDecoder().decode(plaintext);
}
