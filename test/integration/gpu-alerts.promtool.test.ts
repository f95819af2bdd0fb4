import { KubeObject } from '../../lib/core/kube';
import { renderGpuOperatorStack } from '../../lib/core/operator/stack';
import { describeWithBinary } from '../helpers/binaries';
import { promtoolCheckRules, promtoolTestRules } from '../helpers/promtool';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const groups = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o as Obj).spec.groups);

describeWithBinary('promtool', 'prometheus', 'GPU health alert rules under promtool', () => {
  const rules = groups(renderGpuOperatorStack().objects);
  const gpu = { Hostname: 'gpu-node-1', gpu: '3', UUID: 'GPU-8f2c', modelName: 'NVIDIA H100 80GB HBM3' };
  const series = (metric: string, extra: Record<string, string> = {}) =>
    `${metric}{${Object.entries({ ...gpu, ...extra }).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

  test('promtool check rules accepts them', () => {
    expect(promtoolCheckRules(rules)).toMatch(/SUCCESS: 11 rules found/);
  });

  test('promtool test rules: XID errors warn, XID 48 (double-bit ECC) is critical', () => {
    const output = promtoolTestRules(rules, [
      {
        interval: '1m',
        input_series: [
          { series: series('DCGM_EXP_XID_ERRORS_COUNT', { xid: '13' }), values: '0x4 2x5 0x5' },
          { series: series('DCGM_EXP_XID_ERRORS_COUNT', { xid: '48' }), values: '0x7 1x5' },
        ],
        alert_rule_test: [
          { eval_time: '3m', alertname: 'GpuXidErrors', exp_alerts: [] },
          {
            eval_time: '6m', alertname: 'GpuXidErrors',
            exp_alerts: [{ exp_labels: { ...gpu, xid: '13', severity: 'warning' }, exp_annotations: { summary: 'XID 13 on GPU 3 of gpu-node-1', description: '2 XID 13 errors in the exporter window. Check the driver log (dmesg) and the workload on that GPU.' } }],
          },
          { eval_time: '6m', alertname: 'GpuXid48DoubleBitEcc', exp_alerts: [] },
          {
            eval_time: '9m', alertname: 'GpuXid48DoubleBitEcc',
            exp_alerts: [{ exp_labels: { ...gpu, severity: 'critical' }, exp_annotations: { summary: 'XID 48 (double-bit ECC) on GPU 3 of gpu-node-1', description: 'An uncorrectable memory error: drain the node and replace the GPU GPU-8f2c.' } }],
          },
          { eval_time: '12m', alertname: 'GpuXidErrors', exp_alerts: [] }, // the window moved on
        ],
      },
    ]);
    expect(output).toMatch(/SUCCESS/);
  });

  test('promtool test rules: temperature above 83 °C for 5 minutes', () => {
    const output = promtoolTestRules(rules, [
      {
        interval: '1m',
        input_series: [{ series: series('DCGM_FI_DEV_GPU_TEMP'), values: '70x4 86x10' }],
        alert_rule_test: [
          { eval_time: '8m', alertname: 'GpuTemperatureHigh', exp_alerts: [] }, // above 83 for 4 minutes only
          {
            eval_time: '11m', alertname: 'GpuTemperatureHigh',
            exp_alerts: [{ exp_labels: { ...gpu, severity: 'warning' }, exp_annotations: { summary: 'GPU 3 of gpu-node-1 at 86 °C', description: 'Above 83 °C the GPU throttles its clocks. Check cooling, airflow and the power limit.' } }],
          },
        ],
      },
    ]);
    expect(output).toMatch(/SUCCESS/);
  });
});
