/**
 * JSON schemas for cert-manager's Issuer and Certificate (cert-manager.io/v1), written from the v1 CRDs (the model
 * packages of current cert-manager are ESM-only). Unknown keys in what gpuplane renders are refused.
 */
const issuerRef = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' }, kind: { enum: ['Issuer', 'ClusterIssuer'] }, group: { type: 'string' } } };
const meta = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' } } };

export const CERT_MANAGER_ISSUER_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'cert-manager.io/v1' },
    kind: { enum: ['Issuer', 'ClusterIssuer'] },
    metadata: meta,
    spec: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        selfSigned: { type: 'object', additionalProperties: false, properties: { crlDistributionPoints: { type: 'array', items: { type: 'string' } } } },
        ca: { type: 'object', additionalProperties: false, required: ['secretName'], properties: { secretName: { type: 'string' }, crlDistributionPoints: { type: 'array' }, ocspServers: { type: 'array' } } },
        acme: { type: 'object' },
        vault: { type: 'object' },
        venafi: { type: 'object' },
      },
    },
  },
} as const;

const usage = { enum: ['signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc'] };

export const CERT_MANAGER_CERTIFICATE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'cert-manager.io/v1' },
    kind: { const: 'Certificate' },
    metadata: meta,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['secretName', 'issuerRef'],
      properties: {
        secretName: { type: 'string' },
        issuerRef,
        commonName: { type: 'string', maxLength: 64 },
        dnsNames: { type: 'array', items: { type: 'string' } },
        ipAddresses: { type: 'array', items: { type: 'string' } },
        isCA: { type: 'boolean' },
        duration: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' },
        renewBefore: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' },
        usages: { type: 'array', items: usage },
        privateKey: {
          type: 'object', additionalProperties: false,
          properties: { algorithm: { enum: ['RSA', 'ECDSA', 'Ed25519'] }, size: { type: 'integer' }, encoding: { enum: ['PKCS1', 'PKCS8'] }, rotationPolicy: { enum: ['Never', 'Always'] } },
        },
        subject: { type: 'object' },
        secretTemplate: { type: 'object' },
      },
    },
  },
} as const;
