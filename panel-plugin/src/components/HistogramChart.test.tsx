import { render, screen } from '@testing-library/react';
import React from 'react';
import { cutPoints, formatCuts, HistogramChart, readableLabels } from './HistogramChart';

const bin = (label: string, referenceShare: number, productionShare: number) => ({
  label,
  referenceShare,
  productionShare,
  psiContribution: 0,
});

describe('the histogram axes', () => {
  it("reads the cut points from drift-server's numeric bin labels, and nothing from other labels", () => {
    expect(cutPoints(['< 29247', '[29247, 35857.6)', '[35857.6, 41000)', '≥ 41000'])).toEqual([29247, 35857.6, 41000]);
    expect(cutPoints(['< -1.5', '≥ -1.5'])).toEqual([-1.5]);
    // Tail bins beyond the reference's range: below its minimum, and above its maximum.
    expect(cutPoints(['< 8552', '[8552, 40047)', '[40047, 91000]', '> 91000'])).toEqual([8552, 40047, 91000]);
    // One bin per value (a feature with few distinct values): labelled by the values themselves.
    expect(cutPoints(['< 0', '0', '1', '2', '> 2'])).toBeUndefined();
    // Categories, a single "all values" bin, or labels in another shape: the bins are labelled by name instead.
    expect(cutPoints(['north', 'south'])).toBeUndefined();
    expect(cutPoints(['all values'])).toBeUndefined();
    expect(cutPoints(['< 1', '1 to 2', '≥ 2'])).toBeUndefined();
  });

  it('writes cut points as short as they can be while neighbours stay apart', () => {
    expect(formatCuts([29247, 35857.6, 41281.4])).toEqual(['29K', '36K', '41K']);
    // 41 400 as "41K" would be off by the whole gap to 41 000.
    expect(formatCuts([41000, 41400, 42000])).toEqual(['41K', '41.4K', '42K']);
    // Rounding 0.25 to 0.3 would move it most of the way to a neighbour: two digits stay.
    expect(formatCuts([0.12, 0.18, 0.25])).toEqual(['0.12', '0.18', '0.25']);
    expect(formatCuts([1234567.89])).toEqual(['1.2M']);
  });

  it('keeps every label when they fit, else an evenly spaced subset, and always the fixed one', () => {
    const at = (step: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({ x: index * step, text: '29K' }));
    // "29K" is about 22 px wide in 12 px type, plus the 8 px gap: 30 px apart.
    expect(readableLabels(at(31, 9), 12)).toHaveLength(9);
    const half = readableLabels(at(29, 9), 12);
    expect(half.map((label) => label.x)).toEqual([0, 58, 116, 174, 232]);
    const withMissing = readableLabels([...at(40, 9), { x: 350, text: 'missing', fixed: true }], 12);
    expect(withMissing[withMissing.length - 1]).toEqual({ x: 350, text: 'missing', fixed: true });
    // The last cut point (x 320) would touch "missing": it gives way, the others stay.
    expect(withMissing.map((label) => label.x)).toEqual([0, 40, 80, 120, 160, 200, 240, 280, 350]);
  });

  it('draws the missing-value bar apart, labelled, after the cut points of the value bins', () => {
    const bins = [bin('< 10', 0.3, 0.2), bin('[10, 20)', 0.3, 0.3), bin('≥ 20', 0.3, 0.2), bin('missing', 0.1, 0.3)];
    render(<HistogramChart feature="x" bins={bins} categorical={false} width={600} />);
    const chart = screen.getByRole('img', { name: 'Histogram of x: reference vs production' });
    const labels = [...chart.querySelectorAll('[data-axis="x"] text')];
    expect(labels.map((label) => label.textContent)).toEqual(['10', '20', 'missing']);
    // The missing bar's label sits right of the last cut point, past the gap between them.
    const [, last, missing] = labels.map((label) => Number(label.getAttribute('x')));
    expect(missing - last).toBeGreaterThan((600 - 44) / 4.5);
    // The share axis reaches past the largest share (30 %).
    const ticks = [...chart.querySelectorAll('[data-axis="y"] text')].map((text) => text.textContent);
    expect(ticks).toEqual(['0%', '10%', '20%', '30%']);
  });
});
