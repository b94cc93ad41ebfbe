namespace Pipeline.Model.Training;

/// <summary>Writes the loss curve as a PNG (ScottPlot renders headless through SkiaSharp).</summary>
public static class LossCurve
{
    public static void Save(string path, IReadOnlyList<LossPoint> train, IReadOnlyList<LossPoint> eval, string title = "Pretraining loss")
    {
        var plot = new ScottPlot.Plot();
        if (train.Count > 0)
        {
            var line = plot.Add.Scatter(train.Select(p => (double)p.Step).ToArray(), train.Select(p => p.Loss).ToArray());
            line.LegendText = "train";
            line.MarkerSize = 0;
        }
        if (eval.Count > 0)
        {
            var points = plot.Add.Scatter(eval.Select(p => (double)p.Step).ToArray(), eval.Select(p => p.Loss).ToArray());
            points.LegendText = "eval";
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("cross-entropy (nats/token)");
        plot.ShowLegend();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plot.SavePng(path, 900, 500);
    }
}
