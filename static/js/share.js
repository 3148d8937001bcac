// "Partager" (templates/includes/share.html): the phone's share sheet where the browser has
// one; otherwise the links of the menu, and a button that copies the page's address.
document.querySelectorAll("[data-share]").forEach((box) => {
  const menu = box.querySelector("details");
  const status = box.querySelector("[data-copy-status]");
  const data = { title: box.dataset.shareTitle, url: box.dataset.shareUrl };

  if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
    box.querySelector("summary").addEventListener("click", (event) => {
      event.preventDefault();
      navigator.share(data).catch((error) => {
        // Closing the share sheet is a choice; any other failure falls back to the links.
        if (error.name !== "AbortError") menu.open = true;
      });
    });
  }

  const copy = box.querySelector("[data-copy]");
  if (navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(data.url).then(
        () => { status.textContent = box.dataset.copied; },
        () => { status.textContent = box.dataset.copyFailed; },
      );
    });
  }
});
