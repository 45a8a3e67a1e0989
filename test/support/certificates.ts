// A throwaway certificate authority and one certificate it signs, for the
// TLS tests: valid for 127.0.0.1 and localhost, for servers and clients
// alike (mutual TLS). node:crypto cannot make certificates; node-forge can.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** A certificate for the same names from another authority: what an impostor would present. */
  strangerCertFile: string;
  strangerKeyFile: string;
}

function authority(name: string) {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const subject = [{ name: 'commonName', value: name }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { keys, cert };
}

function leaf(ca: ReturnType<typeof authority>, serial: string) {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'avhoppare test process' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  cert.sign(ca.keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

export function makeCertificates(dir: string): TestCertificates {
  const ca = authority('avhoppare test authority');
  const process = leaf(ca, '02');
  const stranger = leaf(authority('someone else'), '03');
  const files = {
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'process.pem'),
    keyFile: join(dir, 'process.key'),
    strangerCertFile: join(dir, 'stranger.pem'),
    strangerKeyFile: join(dir, 'stranger.key'),
  };
  writeFileSync(files.caFile, forge.pki.certificateToPem(ca.cert));
  writeFileSync(files.certFile, process.cert);
  writeFileSync(files.keyFile, process.key, { mode: 0o600 });
  writeFileSync(files.strangerCertFile, stranger.cert);
  writeFileSync(files.strangerKeyFile, stranger.key, { mode: 0o600 });
  return files;
}
