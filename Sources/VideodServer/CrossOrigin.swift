import HTTPTypes
import Hummingbird

/// CORS for one configured origin: browsers' preflights are answered before authentication (they
/// carry no credentials), and every answer names the origin. The headers allowed are those the AWS
/// SDKs for JavaScript sign and send; those exposed are the ones players and SDKs read back.
func crossOriginMiddleware<Context: RequestContext>(origin: String) -> CORSMiddleware<Context> {
    CORSMiddleware(
        allowOrigin: origin == "*" ? .all : .custom(origin),
        allowHeaders: [.accept, .authorization, .contentType, .origin, .range,
                       HTTPField.Name("X-Amz-Date")!, HTTPField.Name("X-Amz-Content-Sha256")!,
                       HTTPField.Name("X-Amz-Security-Token")!, HTTPField.Name("X-Amz-Target")!,
                       HTTPField.Name("X-Amz-User-Agent")!, HTTPField.Name("Amz-Sdk-Invocation-Id")!,
                       HTTPField.Name("Amz-Sdk-Request")!],
        allowMethods: [.get, .head, .post, .put, .delete, .options],
        exposedHeaders: ["Content-Range", "Content-Length", "Accept-Ranges", "x-amzn-RequestId",
                         "x-amzn-ErrorType", "Content-Type"],
        maxAge: .seconds(600))
}
