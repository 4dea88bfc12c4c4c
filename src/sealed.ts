/**
 * Secrets we must be able to use again (webhook signing secrets, which sign every delivery) are
 * kept sealed: AES-256-GCM under a key derived (HKDF-SHA-256) from the `ENCRYPTION_KEY` secret.
 * A database dump alone yields no usable secret. Sealed text: `v1.<iv b64url>.<ciphertext b64url>`.
 */

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

/** Keys derived from the one ENCRYPTION_KEY an isolate runs with, by purpose, each derived once. */
const derived = new Map<string, { secret: string; key: Promise<CryptoKey> }>();

/**
 * A key for one purpose, derived (HKDF-SHA-256) from `ENCRYPTION_KEY`: the sealing key here, the
 * risk checks' fingerprint key (src/risk/signals.ts). Another purpose, another key.
 */
export function derivedKey(
  env: Env,
  purpose: string,
  algorithm: SubtleCryptoImportKeyAlgorithm,
  usages: string[],
): Promise<CryptoKey> {
  const secret = env.ENCRYPTION_KEY;
  if (!secret || secret.length < 32) {
    throw new Error("ENCRYPTION_KEY is missing or shorter than 32 characters (see README).");
  }
  const known = derived.get(purpose);
  if (known?.secret === secret) return known.key;
  const key = crypto.subtle
    .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"])
    .then((material) =>
      crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(32),
          info: new TextEncoder().encode(purpose),
        },
        material,
        algorithm,
        false,
        usages,
      ),
    );
  derived.set(purpose, { secret, key });
  return key;
}

const sealingKey = (env: Env) =>
  derivedKey(env, "edge-checkout sealed secrets v1", { name: "AES-GCM", length: 256 }, [
    "encrypt",
    "decrypt",
  ]);

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
