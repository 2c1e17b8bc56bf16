export { confusionMatrixSvg, type ConfusionMatrixSvgOptions } from './confusion_matrix_svg';
export { barChartSvg, type BarChartSvgOptions } from './bar_chart_svg';
export { lineChartSvg, type LineChartSvgOptions, type LineChartSeries } from './line_chart_svg';
