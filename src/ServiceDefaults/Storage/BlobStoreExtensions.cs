using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.BlobStorage;
using Pipeline.ServiceDefaults.Options;

namespace Pipeline.ServiceDefaults.Storage;

public static class BlobStoreRegistration
{
    /// <summary>Registers <see cref="IBlobStore"/> from <c>Blob:*</c>: the local folder or Azure/Azurite.</summary>
    public static IHostApplicationBuilder AddBlobStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<BlobOptions, BlobOptionsValidator>(BlobOptions.Section);
        builder.Services.AddSingleton<IBlobStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<BlobOptions>>().Value;
            return options.Provider switch
            {
                BlobProvider.Azure => new AzureBlobStore(new BlobServiceClient(options.ConnectionString)),
                _ => new LocalFolderBlobStore(options.LocalRoot),
            };
        });
        return builder;
    }
}
