// The keys of service-account tokens: PEM files as kube-apiserver reads them (RSA or ECDSA, private
// or public keys, PKCS#1, PKCS#8, SEC1, SPKI or certificates), the signing algorithm each implies
// (RS256; ES256/384/512 by curve) and kube's key id (unpadded base64url of the SHA-256 of the SPKI DER).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importPKCS8, importSPKI, type CryptoKey } from 'jose';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export interface VerificationKey {
  kid: string;
  alg: SigningAlgorithm;
  key: CryptoKey;
}

export interface SigningKey extends VerificationKey {
  /** The matching public key (verifies what this key signs). */
  publicKey: VerificationKey;
}

/** Where a server without --service-account-signing-key-file keeps the key it generated. */
export const GENERATED_SIGNING_KEY_FILE = 'service-account.key';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export function algorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
    throw new Error(`unsupported ECDSA curve ${String(curve)}`);
  }
  throw new Error(`unsupported key type ${String(key.asymmetricKeyType)}: only RSA and ECDSA keys are supported`);
}

export function keyIDFor(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export async function verificationKeyFrom(publicKey: KeyObject): Promise<VerificationKey> {
  const alg = algorithmFor(publicKey);
  const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), alg);
  return { kid: keyIDFor(publicKey), alg, key };
}

function publicKeyOfBlock(block: string): KeyObject | undefined {
  if (/PRIVATE KEY/.test(block.slice(0, 40))) return createPublicKey(createPrivateKey(block));
  if (/(PUBLIC KEY|CERTIFICATE)/.test(block.slice(0, 40))) return createPublicKey(block);
  return undefined;
}

/** keyutil.PublicKeysFromFile: every public key of a file (private keys count for their public half). */
export async function readPublicKeys(path: string): Promise<VerificationKey[]> {
  const text = await readFile(path, 'utf8');
  const keys: VerificationKey[] = [];
  for (const [block] of text.matchAll(PEM_BLOCK)) {
    let key: KeyObject | undefined;
    try {
      key = publicKeyOfBlock(block);
    } catch (err) {
      throw new Error(`failed to read key file ${path}: ${(err as Error).message}`);
    }
    if (key) keys.push(await verificationKeyFrom(key));
  }
  if (keys.length === 0) throw new Error(`data does not contain any valid RSA or ECDSA public keys: ${path}`);
  return keys;
}

export async function signingKeyFromPem(pem: string, source: string): Promise<SigningKey> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`failed to parse service-account-issuer-key-file ${source}: ${(err as Error).message}`);
  }
  const alg = algorithmFor(privateKey);
  const publicKey = await verificationKeyFrom(createPublicKey(privateKey));
  const key = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), alg);
  return { kid: publicKey.kid, alg, key, publicKey };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The signing key: the given file, or one generated once into the data directory and reused. */
export async function loadSigningKey(file: string | undefined, dataDir: string): Promise<SigningKey> {
  if (file) return signingKeyFromPem(await readFile(file, 'utf8'), file);
  const path = join(dataDir, GENERATED_SIGNING_KEY_FILE);
  if (!(await exists(path))) {
    await mkdir(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  return signingKeyFromPem(await readFile(path, 'utf8'), path);
}
