/*
 * A program that calls nothing of nf_ota, linked against nf_ota and the fake ESP-IDF as archives
 * (as ESP-IDF links components, and nf-interpreter links idf::nf_ota). The boot guard's start-up
 * record can only be in it through the component's own "-u" link option; CTest's
 * nf_ota_boot_guard_linked looks for the record with nm.
 */
int main(void)
{
    return 0;
}
