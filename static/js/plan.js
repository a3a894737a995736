// Open the task a link or a save points at (#nhiem-vu-12), instead of leaving it folded.
const target = location.hash && document.getElementById(location.hash.slice(1));
if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
