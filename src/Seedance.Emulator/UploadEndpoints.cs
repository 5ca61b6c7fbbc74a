using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Seedance.Emulator;

/// <summary>
/// The upload endpoint (one secondary source documents it; the primary docs do not): <c>POST /api/v1/uploads
/// {"fileName"}</c> with the key hands out a signed <c>uploadUrl</c> on the files origin; the bytes go there by
/// <c>PUT</c> without the key and with the Content-Type that was signed; <c>url</c> then serves them for 24 h.
/// With <c>--no-uploads</c> none of this is mapped, so the API answers 404 as a host without uploads does.
/// </summary>
public static class UploadEndpoints
{
    public const string UploadsPath = "/api/v1/uploads";

    public static void MapUploadApi(this WebApplication app) => app.MapPost(UploadsPath, CreateSlotAsync);

    public static void MapUploadFiles(this WebApplication app)
    {
        app.MapPut("/uploads/{id}/{fileName}", ReceiveAsync);
        app.MapMethods("/uploads/{id}/{fileName}", [HttpMethods.Get, HttpMethods.Head], Serve);
    }

    private static async Task<IResult> CreateSlotAsync(HttpRequest request, UploadStore uploads)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        string? fileName = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject body && body["fileName"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                fileName = value.GetValue<string>();
        }
        catch (JsonException)
        {
        }

        if (string.IsNullOrWhiteSpace(fileName) || fileName.IndexOfAny(['/', '\\']) >= 0 || fileName.Length > 255)
        {
            return Results.Json(new
            {
                message = "fileName is required: a file name without folders, at most 255 characters",
                errors = new[] { new { path = "fileName", message = "must be a non-empty file name" } },
            }, statusCode: StatusCodes.Status400BadRequest);
        }

        var slot = uploads.CreateSlot(fileName);
        return Results.Json(new
        {
            uploadUrl = uploads.UploadUrl(slot),
            url = uploads.PublicUrl(slot),
            contentType = slot.ContentType,
            expiresAt = slot.SignatureExpiresAt.ToUnixTimeMilliseconds(),
        });
    }

    /// <summary>
    /// The signed PUT. Refused (as S3 refuses) when it also carries an Authorization header, when the signature or
    /// its expiry do not match, or when the Content-Type is not the signed one. The body is kept only when it
    /// arrived whole; a PUT again to the same URL replaces it.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(string id, string fileName, HttpContext context, UploadStore uploads, EmulatorStats stats)
    {
        var request = context.Request;
        var hasAuthorization = request.Headers.Authorization.Count > 0;
        var slot = uploads.Find(id, fileName);
        (int Status, string Code, string Message)? refusal = null;
        if (hasAuthorization)
            refusal = (400, "InvalidArgument", "Only one auth mechanism allowed: this URL is already signed, so the request must not carry an Authorization header");
        else if (slot is null || !UploadStore.SignatureMatches(slot, request.Query["signature"]) ||
                 request.Query["expires"].ToString() != slot.SignatureExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            refusal = (403, "SignatureDoesNotMatch", "The request signature does not match this upload URL");
        else if (uploads.Now >= slot.SignatureExpiresAt)
            refusal = (403, "AccessDenied", "Request has expired");
        else if (!string.Equals(MediaType(request.ContentType), slot.ContentType, StringComparison.OrdinalIgnoreCase))
            refusal = (403, "SignatureDoesNotMatch", $"Content-Type '{request.ContentType}' is not the signed '{slot.ContentType}'");

        if (refusal is { } no)
        {
            stats.UploadPuts.Add(new UploadPutEntry(id, fileName, request.ContentType, 0, null, hasAuthorization, no.Status, DateTimeOffset.UtcNow));
            return Results.Json(new { message = no.Message, code = no.Code }, statusCode: no.Status);
        }

        // The platform sets no size limit of its own; Kestrel's default cap (set for the API) does not apply here.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;

        var (partial, file) = uploads.BeginWrite(slot!);
        long length = 0;
        string sha256;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (file)
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    length += read;
                }
            }

            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // Cut off part way: nothing is kept, the client must send the whole file again.
            UploadStore.TryDelete(partial);
            stats.UploadPuts.Add(new UploadPutEntry(id, fileName, request.ContentType, length, null, false, 499, DateTimeOffset.UtcNow));
            context.Abort();
            return Results.Empty;
        }

        var stored = uploads.Commit(slot!, partial, length, sha256);
        stats.UploadPuts.Add(new UploadPutEntry(id, fileName, request.ContentType, length, sha256, false, 200, DateTimeOffset.UtcNow));
        context.Response.Headers.ETag = $"\"{sha256}\"";
        return Results.Json(new { id, bytes = stored.Length, expiresAt = stored.ExpiresAt.ToUnixTimeMilliseconds() });
    }

    private static IResult Serve(string id, string fileName, UploadStore uploads)
    {
        var slot = uploads.Find(id, fileName);
        if (slot is null || uploads.Served(slot) is not { } stored)
            return Results.Json(new { message = "File not found" }, statusCode: StatusCodes.Status404NotFound);

        return Results.File(stored.Path, slot.ContentType, fileDownloadName: null, lastModified: stored.StoredAt,
            entityTag: new EntityTagHeaderValue($"\"{stored.Sha256}\""), enableRangeProcessing: true);
    }

    private static string? MediaType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value : null;

    /// <summary>What the control API shows of an upload.</summary>
    public static object Describe(UploadSlot slot, UploadStore uploads) => new
    {
        id = slot.Id,
        fileName = slot.FileName,
        contentType = slot.ContentType,
        url = uploads.PublicUrl(slot),
        createdAt = slot.CreatedAt,
        stored = slot.Stored is { } s ? new { bytes = s.Length, sha256 = s.Sha256, storedAt = s.StoredAt, expiresAt = s.ExpiresAt, served = uploads.Served(slot) is not null } : null,
    };
}
