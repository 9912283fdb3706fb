// Sending a video's file, which does not go through /graphql/: startVideoUpload or
// restartVideoUpload hand out a signed link, the file is PUT there (XMLHttpRequest, for its
// upload progress), and the worker's progress is then read back by polling the video.

import { GraphQLError, gqlWhole } from "./api.js";

const TICKET = "video { id processingState } uploadUrl uploadExpiresAt maxBytes contentTypes";
const START = `mutation($input: StartVideoUploadInput!) { startVideoUpload(input: $input) { ${TICKET} } }`;
const RESTART = `mutation($input: RestartVideoUploadInput!) { restartVideoUpload(input: $input) { ${TICKET} } }`;
const STATE = `query VideoState($id: ID!) { video(id: $id) { id processingState processingError } }`;

const POLL_MILLISECONDS = 2000;
const SETTLED = new Set(["READY", "FAILED"]);
const MB = 1024 * 1024;

// The limits of the last ticket: the API states them only in a ticket, so the first file of a
// visit is checked by startVideoUpload alone (it refuses a wrong type or size before any draft).
let knownLimits = null;

/** A draft and its upload link (the payload of startVideoUpload). */
export async function startUpload(input) {
  return remember((await gqlWhole(START, { input })).startVideoUpload);
}

/** A new link for one's draft whose link expired or whose file failed; the old one stops working. */
export async function restartUpload(videoId) {
  return remember((await gqlWhole(RESTART, { input: { videoId } })).restartVideoUpload);
}

function remember(ticket) {
  knownLimits = { maxBytes: ticket.maxBytes, contentTypes: ticket.contentTypes };
  return ticket;
}

/** Why the file is obviously not one to send (null when it may be): not a video, empty, or
 * outside the limits the server last stated. The server checks everything again. */
export function fileProblem(file, limits = knownLimits) {
  const type = file.type || "unknown type";
  if (!file.type.startsWith("video/")) return `${file.name} is not a video file (${type}).`;
  if (!file.size) return `${file.name} is empty.`;
  if (limits && !limits.contentTypes.includes(file.type)) {
    return `${file.name} is ${type}; accepted: ${limits.contentTypes.join(", ")}.`;
  }
  if (limits && file.size > limits.maxBytes) {
    return `${file.name} is ${(file.size / MB).toFixed(1)} MB; at most ${Math.floor(limits.maxBytes / MB)} MB are accepted.`;
  }
  return null;
}

function failure(message, code) {
  return new GraphQLError([{ message, extensions: { code } }]);
}

/**
 * PUT the file to its upload link, calling onProgress(fraction) as its bytes leave. Resolves
 * with the server's answer once the file was received and checked; rejects with a GraphQLError
 * holding the refusal's errors (the link answers GraphQL's error shape) or the connection's failure.
 */
export function putFile(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("Content-Type", file.type);
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response;
      if (request.status >= 200 && request.status < 300) resolve(body);
      else if (body && body.errors) reject(new GraphQLError(body.errors));
      else reject(failure(`The upload was refused (HTTP ${request.status}).`, "HTTP_ERROR"));
    };
    request.onerror = () => reject(failure("The upload was interrupted: check the connection and retry.", "NETWORK_ERROR"));
    request.send(file);
  });
}

/**
 * Read the video's processing state now and then every POLL_MILLISECONDS, calling onState(video)
 * each time, until it is READY or FAILED or keepGoing() says the screen is gone; returns the last
 * video read (null when it no longer exists).
 */
export async function watchProcessing(videoId, onState, keepGoing) {
  for (;;) {
    const { video } = await gqlWhole(STATE, { id: videoId });
    onState(video);
    if (!video || SETTLED.has(video.processingState)) return video;
    await new Promise((wake) => setTimeout(wake, POLL_MILLISECONDS));
    if (!keepGoing()) return video;
  }
}
