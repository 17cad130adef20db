/** @odoo-module **/
// Check-in/out forms of the volunteer portal: add the browser's position when the volunteer allows it.
// Without permission (or after 8 s) the form is sent without coordinates.
document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList?.contains("o_gs_geo_form") || form.dataset.located || !navigator.geolocation) {
        return;
    }
    event.preventDefault();
    const send = () => {
        form.dataset.located = "1";
        form.submit();
    };
    navigator.geolocation.getCurrentPosition(
        (position) => {
            form.querySelector("input[name=latitude]").value = position.coords.latitude;
            form.querySelector("input[name=longitude]").value = position.coords.longitude;
            send();
        },
        send,
        { timeout: 8000, maximumAge: 60000 }
    );
});
