using MassTransit;
using Pipeline.Contracts.Messages;
using Pipeline.Ingest.Sft;

namespace Pipeline.Ingest.Consumers;

/// <summary>Curates SFT files into train/eval splits and publishes SftDatasetCurated.</summary>
public sealed class CurateSftConsumer(SftCurator curator) : IConsumer<CurateSft>
{
    public async Task Consume(ConsumeContext<CurateSft> context)
    {
        var curated = await curator.CurateAsync(context.Message, context.CancellationToken);
        await context.Publish(curated, context.CancellationToken);
    }
}
