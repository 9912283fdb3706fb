// One upload as its uploader follows it: a progress bar while the file leaves, then the worker's
// state (Uploaded, Processing, Ready, or Failed with the reason) read every two seconds, refusals
// in words, and Retry (a new link, for the file chosen now) when the file failed or its link
// expired. Used by the upload form and by each draft of the uploader's list.

import { describe } from "../api.js";
import { h } from "../dom.js";
import { fileProblem, putFile, restartUpload, watchProcessing } from "../uploads.js";

export const STATE_LABELS = {
  AWAITING_UPLOAD: "Waiting for its file",
  UPLOADED: "Uploaded",
  PROCESSING: "Processing",
  READY: "Ready",
  FAILED: "Failed",
};

/**
 * fileOf(): the file to send now (a person may pick another before a retry); onState(video):
 * each state the draft is seen in, from its ticket on. send(getTicket, videoId) runs one upload
 * with the ticket getTicket() gives (videoId: the draft it is for, null for a new one).
 */
export function uploadPanel(fileOf, onState = () => {}) {
  const bar = h("progress", { max: 100, value: 0, "data-testid": "upload-progress" });
  const percent = h("span.percent", { "data-testid": "upload-percent" });
  const state = h("p.state", { "data-testid": "upload-state", "aria-live": "polite" });
  const problem = h("p.error-text", { role: "alert", "data-testid": "upload-error", hidden: true });
  const retry = h("button.secondary", { type: "button", "data-testid": "upload-retry", hidden: true }, "Retry");
  const panel = h("div.upload-panel", { hidden: true }, h("div.progress-line", {}, bar, percent), state, problem, retry);
  let videoId = null;

  const progress = (fraction) => {
    bar.value = Math.round(fraction * 100);
    percent.textContent = `${bar.value} %`;
  };
  const say = (text, name) => {
    state.textContent = text;
    state.dataset.state = name;
  };
  const refuse = (message) => {
    problem.textContent = message;
    problem.hidden = false;
    retry.hidden = videoId === null; // a refused new draft is sent again from its form
  };
  const showVideo = (video) => {
    if (!video) return say("This video no longer exists.", "GONE");
    say(STATE_LABELS[video.processingState], video.processingState);
    if (video.processingState === "FAILED") refuse(video.processingError || "Processing failed.");
    onState(video);
  };

  async function send(getTicket, forVideo) {
    videoId = forVideo;
    panel.hidden = false;
    problem.hidden = retry.hidden = true;
    progress(0);
    const file = fileOf();
    const local = file ? fileProblem(file) : "Choose a video file first.";
    if (local) return refuse(local);
    let received = false;
    try {
      say("Starting…", "STARTING");
      const ticket = await getTicket();
      videoId = ticket.video.id;
      onState(ticket.video);
      const outside = fileProblem(file); // the ticket states the limits
      if (outside) return refuse(outside);
      say("Uploading…", "UPLOADING");
      await putFile(ticket.uploadUrl, file, (fraction) => {
        progress(fraction);
        if (fraction >= 1) say("Checking the file…", "CHECKING");
      });
      received = true;
      await watchProcessing(videoId, showVideo, () => panel.isConnected);
    } catch (error) {
      say(received ? "Uploaded; its state could not be read" : "Not uploaded", "REFUSED");
      refuse((error.errors || [{ message: String(error.message || error) }]).map(describe).join("; "));
    }
    return undefined;
  }

  retry.addEventListener("click", () => send(() => restartUpload(videoId), videoId));
  return { element: panel, send };
}
