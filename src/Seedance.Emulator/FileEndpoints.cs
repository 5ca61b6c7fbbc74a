using Microsoft.Net.Http.Headers;

namespace Seedance.Emulator;

/// <summary>
/// The files origin: <c>GET|HEAD /files/{taskId}.mp4</c>, no key needed (none must be sent), byte ranges supported.
/// </summary>
public static class FileEndpoints
{
    public static void MapFiles(this WebApplication app)
    {
        app.MapMethods("/files/{name}", [HttpMethods.Get, HttpMethods.Head], Serve);
    }

    private static IResult Serve(string name, TaskStore store, EmulatorOptions options)
    {
        const string suffix = ".mp4";
        const string lastFrameSuffix = "_last.png";
        if (name.EndsWith(lastFrameSuffix, StringComparison.OrdinalIgnoreCase))
        {
            var owner = store.Find(name[..^lastFrameSuffix.Length]);
            return owner is null || !owner.HasSucceededAt(store.Now)
                ? Results.Json(new { message = "File not found" }, statusCode: StatusCodes.Status404NotFound)
                : Results.Bytes(LastFramePng.For(owner.TaskId), "image/png");
        }

        var task = name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? store.Find(name[..^suffix.Length]) : null;
        if (task is null || !task.HasSucceededAt(store.Now))
            return Results.Json(new { message = "File not found" }, statusCode: StatusCodes.Status404NotFound);

        Stream content = options.OutputBytes > 0
            ? new SyntheticVideoStream(options.OutputBytes)
            : SampleVideo.OpenRead();

        // A strong ETag and Last-Modified let a client resume with If-Range, as against a real CDN.
        var etag = new EntityTagHeaderValue($"\"{task.TaskId}-{content.Length}\"");
        return Results.Stream(content, "video/mp4", fileDownloadName: null,
            lastModified: task.CompletedAt, entityTag: etag, enableRangeProcessing: true);
    }
}
