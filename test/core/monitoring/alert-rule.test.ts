import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import type { AlertRule } from '../../../lib/core';
import type { AlertRule as FromModule } from '../../../lib/core/monitoring';
import { etcdAlertRules } from '../../../lib/core/etcd/monitoring';
import { gpuHealthRules } from '../../../lib/core/operator/dcgm';

const CORE = resolve(__dirname, '../../../lib/core');

describe('AlertRule lives in core/monitoring', () => {
  test('etcd and the GPU Operator do not depend on the vLLM modules', () => {
    for (const dir of ['etcd', 'operator']) {
      for (const file of readdirSync(join(CORE, dir)).filter((f) => f.endsWith('.ts'))) {
        expect({ file: `${dir}/${file}`, vllm: /from '\.\.\/vllm\//.test(readFileSync(join(CORE, dir, file), 'utf8')) }).toEqual({ file: `${dir}/${file}`, vllm: false });
      }
    }
    expect(readFileSync(join(CORE, 'etcd', 'monitoring.ts'), 'utf8')).toContain("import { AlertRule } from '../monitoring';");
    expect(readFileSync(join(CORE, 'operator', 'dcgm.ts'), 'utf8')).toContain("import { AlertRule } from '../monitoring';");
  });

  test('the public export is the same type', () => {
    const rules: AlertRule[] = gpuHealthRules({ operatorNamespace: 'gpu-operator' });
    const same: FromModule[] = rules;
    expect(same.length).toBeGreaterThan(0);
    expect(etcdAlertRules).toBeInstanceOf(Function);
  });
});
