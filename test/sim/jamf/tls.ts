import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bitString, bool, explicit, implicit, integer, octets, oid, seq, set, time, utf8 } from './der';

/**
 * A throw-away certificate authority and a server certificate for
 * 127.0.0.1 / localhost / ::1, generated with node:crypto at start-up
 * (ECDSA P-256, SHA-256). The CA PEM is written to a temporary folder so
 * clients can trust it (`curl --cacert`, `NODE_EXTRA_CA_CERTS`).
 */
export interface SimTls {
  caPem: string;
  caFile: string;
  certPem: string;
  keyPem: string;
  dir: string;
  dispose(): void;
}

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const DAY = 24 * 60 * 60 * 1000;

function name(cn: string): Buffer {
  return seq(set(seq(oid(OID.organization), utf8('superd Jamf Pro simulator'))), set(seq(oid(OID.commonName), utf8(cn))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyId(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki).digest();
}

function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 1) & 0x7f || 1;
  return b;
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer;
  extensions: Buffer[];
}

function certificate(spec: CertSpec): string {
  const alg = seq(oid(OID.ecdsaWithSha256));
  const now = Date.now();
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial()),
    alg,
    name(spec.issuer),
    seq(time(now - DAY), time(now + 397 * DAY)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...spec.extensions, extension(OID.authorityKeyId, false, seq(implicit(0, spec.issuerKeyId))))),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  const der = seq(tbs, alg, bitString(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export function createSimTls(): SimTls {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caKeyId = keyId(ca.publicKey);
  const caName = 'superd Jamf Pro simulator CA';
  const caPem = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: caKeyId,
    extensions: [
      extension(OID.basicConstraints, true, seq(bool(true))),
      extension(OID.keyUsage, true, bitString(Buffer.from([0x86]), 1)),
      extension(OID.subjectKeyId, false, octets(caKeyId)),
    ],
  });
  const certPem = certificate({
    subject: '127.0.0.1',
    issuer: caName,
    publicKey: leaf.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: caKeyId,
    extensions: [
      extension(OID.basicConstraints, true, seq()),
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
      extension(
        OID.subjectAltName,
        false,
        seq(implicit(2, Buffer.from('localhost')), implicit(7, Buffer.from([127, 0, 0, 1])), implicit(7, Buffer.alloc(16, 0).fill(1, 15))),
      ),
      extension(OID.subjectKeyId, false, octets(keyId(leaf.publicKey))),
    ],
  });
  // Fail loudly here rather than in a TLS handshake if an encoding is wrong.
  if (!new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey)) {
    throw new Error('generated server certificate does not verify against the generated CA');
  }
  const dir = mkdtempSync(join(tmpdir(), 'jamf-sim-'));
  const caFile = join(dir, 'jamf-sim-ca.pem');
  writeFileSync(caFile, caPem, { mode: 0o644 });
  const keyPem = leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    caPem,
    caFile,
    certPem,
    keyPem,
    dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
