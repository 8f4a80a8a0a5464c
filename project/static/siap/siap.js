/* SIAP: the server checks every form and says what is wrong in the user's language; the browser's own
   validation bubbles (in the browser's language, one field at a time) would stop the form before that. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
});
