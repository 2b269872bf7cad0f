package dev.bridge.rpc.grpc;

import dev.bridge.rpc.CallFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A failure's details travel as the google.rpc.Status a Go host's status.FromError reads. */
class StatusesTest {
  @Test
  void detailsBecomeAGoogleRpcStatusInTheTrailers() throws Exception {
    Any badRequest = Any.pack(BadRequest.newBuilder()
        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("key").setDescription("empty"))
        .build());
    var failure = new CallFailure("INVALID_ARGUMENT", "key is required", null, null, List.of(badRequest));
    var sent = Statuses.exception(new CompletionException(failure));
    assertEquals(Status.Code.INVALID_ARGUMENT, sent.getStatus().getCode());
    assertEquals("key is required", sent.getStatus().getDescription());
    com.google.rpc.Status rich = StatusProto.fromThrowable(sent);
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), rich.getCode());
    assertEquals("key is required", rich.getMessage());
    assertEquals("key", rich.getDetails(0).unpack(BadRequest.class).getFieldViolations(0).getField());
  }

  @Test
  void withoutDetailsThereIsNoDetailsTrailer() {
    var sent = Statuses.exception(new CallFailure("NOT_FOUND", "no such key"));
    assertEquals(Status.Code.NOT_FOUND, sent.getStatus().getCode());
    assertNull(sent.getTrailers(), "no trailers, so no grpc-status-details-bin");
  }
}
