using StreamSpace.Domain.Common;
using StreamSpace.Domain.Sessions;
using StreamSpace.Infrastructure.Features.Catalog;
using StreamSpace.Infrastructure.Features.Sessions;

namespace StreamSpace.Web.Api;

/// <summary>Turns the portal's errors into problem details with the portal's own words.</summary>
public sealed class ApiErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (SessionNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Session not found");
        }
        catch (TemplateNotFoundException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Template not found");
        }
        catch (QuotaExceededException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Quota exceeded");
        }
        catch (SessionStateException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Not possible in this state");
        }
        catch (DomainException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Refused");
        }
    }
}
