import { strictObject, objectMeta as meta } from './common';

/**
 * JSON schemas for cert-manager's Issuer, ClusterIssuer and Certificate (cert-manager.io/v1, cert-manager v1.21.1),
 * written from those CRDs (the model packages of current cert-manager are ESM-only). They agree with the CRDs
 * (test/crds/schema-agreement.test.ts checks it against the CRD files): every Certificate field, the `ca` and
 * `selfSigned` issuers field by field, `issuerRef.kind` any string (external issuers such as AWSPCAIssuer), unknown
 * keys refused where the API server would prune them. The `acme`, `vault` and `venafi` issuers are only checked to
 * be objects (gpuplane renders none of them).
 *
 * Three checks go beyond the CRDs on purpose, because cert-manager's admission webhook refuses these objects:
 * an issuer spec names exactly one issuer type, `commonName` is at most 64 bytes, and `duration`/`renewBefore`
 * parse as Go durations. CERT_MANAGER_WEBHOOK_RULES lists them.
 */
const strings = { type: 'array', items: { type: 'string' } };
const goDuration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' };
const secretKeyRef = strictObject({ key: { type: 'string' }, name: { type: 'string' } }, ['name']);
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/** Where the hand-written schemas are stricter than the CRDs: what cert-manager's webhook refuses. */
export const CERT_MANAGER_WEBHOOK_RULES: readonly string[] = [
  'Issuer/ClusterIssuer spec: exactly one of acme, ca, selfSigned, vault, venafi',
  'Certificate spec.commonName: at most 64 bytes',
  'Certificate spec.duration, spec.renewBefore: Go durations',
];

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
        selfSigned: strictObject({ crlDistributionPoints: strings }),
        ca: strictObject({ secretName: { type: 'string' }, crlDistributionPoints: strings, issuingCertificateURLs: strings, ocspServers: strings }, ['secretName']),
        acme: { type: 'object' },
        vault: { type: 'object' },
        venafi: { type: 'object' },
      },
    },
  },
} as const;

const usage = { enum: ['signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc'] };
const nameConstraintItems = strictObject({ dnsDomains: strings, emailAddresses: strings, ipRanges: strings, uriDomains: strings });
const keystore = (extra: Record<string, unknown>) => strictObject({ create: { type: 'boolean' }, password: { type: 'string' }, passwordSecretRef: secretKeyRef, ...extra }, ['create']);

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
        issuerRef: strictObject({ name: { type: 'string' }, kind: { type: 'string' }, group: { type: 'string' } }, ['name']),
        commonName: { type: 'string', maxLength: 64 },
        literalSubject: { type: 'string' },
        dnsNames: strings,
        ipAddresses: strings,
        emailAddresses: strings,
        uris: strings,
        otherNames: { type: 'array', items: strictObject({ oid: { type: 'string' }, utf8Value: { type: 'string' } }) },
        isCA: { type: 'boolean' },
        duration: goDuration,
        renewBefore: goDuration,
        renewBeforePercentage: { type: 'integer' },
        renewal: strictObject({ policy: { enum: ['RenewBefore', 'Disabled'] }, windows: { type: 'array', items: strictObject({ cron: { type: 'string', minLength: 1 }, timezone: { type: 'string', minLength: 1 }, windowDuration: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(s|m|h))+$' } }, ['cron', 'windowDuration']) } }),
        revisionHistoryLimit: { type: 'integer' },
        usages: { type: 'array', items: usage },
        encodeUsagesInRequest: { type: 'boolean' },
        signatureAlgorithm: { enum: ['SHA256WithRSA', 'SHA384WithRSA', 'SHA512WithRSA', 'ECDSAWithSHA256', 'ECDSAWithSHA384', 'ECDSAWithSHA512', 'PureEd25519'] },
        privateKey: strictObject({ algorithm: { enum: ['RSA', 'ECDSA', 'Ed25519'] }, size: { type: 'integer' }, encoding: { enum: ['PKCS1', 'PKCS8'] }, rotationPolicy: { enum: ['Never', 'Always'] } }),
        subject: strictObject({ countries: strings, localities: strings, organizationalUnits: strings, organizations: strings, postalCodes: strings, provinces: strings, serialNumber: { type: 'string' }, streetAddresses: strings }),
        secretTemplate: strictObject({ annotations: stringMap, labels: stringMap }),
        additionalOutputFormats: { type: 'array', items: strictObject({ type: { enum: ['DER', 'CombinedPEM'] } }, ['type']) },
        keystores: strictObject({ jks: keystore({ alias: { type: 'string' } }), pkcs12: keystore({ profile: { enum: ['LegacyRC2', 'LegacyDES', 'Modern2023', 'Modern2026'] } }) }),
        nameConstraints: strictObject({ critical: { type: 'boolean' }, excluded: nameConstraintItems, permitted: nameConstraintItems }),
      },
    },
  },
} as const;
