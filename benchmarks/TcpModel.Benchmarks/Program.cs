using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Min and Median beside the Mean: on a shared machine they are the least disturbed by other load.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Min, StatisticColumn.Median);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
